using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>What a command runs with: its output streams, the environment seam, the clock and logging.</summary>
internal sealed class ToolRuntime
{
    public ToolRuntime(TextWriter output, TextWriter error, IEnvironment environment, TimeProvider timeProvider)
    {
        Output = output;
        Error = error;
        Environment = environment;
        TimeProvider = timeProvider;

        // Keys in the environment are secrets whichever source ends up used; a profile's are added once read.
        Guard.Add(environment.GetNonBlank("AWS_SECRET_ACCESS_KEY"));
        Guard.Add(environment.GetNonBlank("AWS_SESSION_TOKEN"));
    }

    /// <summary>Gets standard output: the command's result (and, for <c>export</c> only, secrets).</summary>
    public TextWriter Output { get; }

    /// <summary>Gets standard error: reasons and, with <c>--verbose</c>, the library's logs. Never a secret.</summary>
    public TextWriter Error { get; }

    public IEnvironment Environment { get; }

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
