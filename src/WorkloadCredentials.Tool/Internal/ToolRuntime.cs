using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>What a command runs with: its output streams, the clock, logging and the output guard.</summary>
internal sealed class ToolRuntime
{
    public ToolRuntime(TextWriter output, TextWriter error, TimeProvider timeProvider)
    {
        Output = output;
        Error = error;
        TimeProvider = timeProvider;

        // Keys in the environment are secrets whichever source ends up used; the resolved credentials are added once resolved.
        foreach (string variable in (string[])["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        {
            Guard.Add(System.Environment.GetEnvironmentVariable(variable)?.Trim());
        }
    }

    /// <summary>Gets standard output: the command's result (and, for <c>export</c> only, secrets).</summary>
    public TextWriter Output { get; }

    /// <summary>Gets standard error: reasons and, with <c>--verbose</c>, the library's logs. Never a secret.</summary>
    public TextWriter Error { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the masking and escaping every text written to the terminal goes through (all but <c>export</c>'s output).</summary>
    public OutputGuard Guard { get; } = new();

    public ILoggerFactory CreateLoggerFactory(ToolSettings settings) =>
        settings.Verbose ? new StderrLoggerFactory(Error, LogLevel.Debug, Guard) : NullLoggerFactory.Instance;

    /// <summary>Writes a reason on stderr as one paragraph prefixed with the tool's name; no stack trace. Masked and escaped.</summary>
    public void WriteError(string message)
    {
        Error.Write(ToolApplication.CommandName);
        Error.Write(": ");
        Error.WriteLine(Guard.Clean(message.TrimEnd()));
    }
}
