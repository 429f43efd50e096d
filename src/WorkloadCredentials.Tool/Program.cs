using System.Globalization;
using WorkloadCredentials.Tool;
using WorkloadCredentials.Tool.Internal;

// workload-credentials: describe / export / whoami over the WorkloadCredentials default chain.
int depth = NestingGuard.Depth();
if (depth >= NestingGuard.MaxDepth)
{
    await Console.Error.WriteLineAsync(ToolApplication.CommandName + ": " + NestingGuard.TooDeepMessage(depth)).ConfigureAwait(false);
    return ExitCodes.SourceFailed;
}

// Inherited by every process the chain starts (credential_process): the last safety net against a loop back into this tool (the
// library's own loop marker, WORKLOAD_CREDENTIALS_PROCESS_PROFILE, normally stops it at the first nested run).
Environment.SetEnvironmentVariable(NestingGuard.Variable, (depth + 1).ToString(CultureInfo.InvariantCulture));
return await ToolApplication.RunAsync(args, Console.Out, Console.Error, TimeProvider.System).ConfigureAwait(false);
