using System.CommandLine;
using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// <c>describe [--json]</c>: which source the chain chose and why each other one was skipped, the role, account and expiry. Never a
/// secret. When nothing resolves the description is still written (with the error), the reason goes to stderr and the exit code says why.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(ToolApplication app)
    {
        var json = new Option<bool>("--json") { Description = "Write the description as JSON (schema version 1, see the README)." };
        var command = new Command("describe", "Show which credential source the chain chooses and why the others were skipped, with the role, account and expiry. Never shows a secret.")
        {
            json,
        };
        command.SetAction((parseResult, cancellationToken) => app.RunAsync(parseResult, (settings, runtime, ct) => RunAsync(settings, runtime, parseResult.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ToolSettings settings, ToolRuntime runtime, bool json, CancellationToken cancellationToken)
    {
        using Microsoft.Extensions.Logging.ILoggerFactory loggers = runtime.CreateLoggerFactory(settings);
        CredentialSourceDescription described = await CredentialResolver.DescribeAsync(settings, runtime, loggers, cancellationToken).ConfigureAwait(false);
        var description = CredentialDescription.From(described, runtime.TimeProvider.GetUtcNow(), runtime.Guard);
        if (json)
        {
            DescriptionJsonWriter.Write(runtime.Output, description);
        }
        else
        {
            DescriptionTextWriter.Write(runtime.Output, description);
        }

        if (description.ErrorMessage is { } message)
        {
            runtime.WriteError(message);
        }

        return ExitCodes.For(description.ErrorKind);
    }
}
