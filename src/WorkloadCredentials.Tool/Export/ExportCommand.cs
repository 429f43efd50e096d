using System.CommandLine;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Export;

/// <summary>
/// <c>export --format process|env</c>: the resolved credentials for another program. The only command whose output holds secrets;
/// on failure stdout stays empty and the reason goes to stderr.
/// </summary>
internal static class ExportCommand
{
    public const string ProcessFormat = "process";
    public const string EnvFormat = "env";

    public static Command Create(ToolApplication app)
    {
        var format = new Option<string>("--format")
        {
            Description = "process: credential_process JSON (for 'credential_process = workload-credentials export --format process' in ~/.aws/config); " +
                "env: shell 'export AWS_ACCESS_KEY_ID=...' lines (for eval).",
            DefaultValueFactory = _ => ProcessFormat,
        };
        format.AcceptOnlyFromAmong(ProcessFormat, EnvFormat);

        var command = new Command("export", "Write the resolved credentials, secrets included, as credential_process JSON or shell export lines.")
        {
            format,
        };
        command.SetAction((parseResult, cancellationToken) =>
            app.RunAsync(parseResult, (settings, runtime, ct) => RunAsync(settings, runtime, parseResult.GetValue(format)!, ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ToolSettings settings, ToolRuntime runtime, string format, CancellationToken cancellationToken)
    {
        using ILoggerFactory loggers = runtime.CreateLoggerFactory(settings);
        ResolutionOutcome outcome = await CredentialResolver.ResolveAsync(settings, runtime, loggers, cancellationToken).ConfigureAwait(false);
        if (outcome.Credentials is not { } credentials)
        {
            runtime.WriteError(outcome.ErrorMessage ?? "no AWS credentials were resolved.");
            return outcome.ExitCode;
        }

        if (format == EnvFormat)
        {
            CredentialExportWriter.WriteEnv(runtime.Output, credentials);
        }
        else
        {
            CredentialExportWriter.WriteProcess(runtime.Output, credentials);
        }

        return ExitCodes.Resolved;
    }
}
