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
    }

    /// <summary>Gets standard output: the command's result (and, for <c>export</c> only, secrets).</summary>
    public TextWriter Output { get; }

    /// <summary>Gets standard error: reasons and, with <c>--verbose</c>, the library's logs. Never a secret.</summary>
    public TextWriter Error { get; }

    public IEnvironment Environment { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory CreateLoggerFactory(ToolSettings settings) =>
        settings.Verbose ? new StderrLoggerFactory(Error, LogLevel.Debug) : NullLoggerFactory.Instance;

    /// <summary>Writes a reason on stderr as one paragraph prefixed with the tool's name; no stack trace.</summary>
    public void WriteError(string message)
    {
        Error.Write(ToolApplication.CommandName);
        Error.Write(": ");
        Error.WriteLine(message.TrimEnd());
    }
}
