using System.Globalization;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tool;
using WorkloadCredentials.Tool.Internal;

// workload-credentials: describe / export / whoami over the WorkloadCredentials default chain.
int depth = NestingGuard.Depth(ProcessEnvironment.Instance);
if (depth >= NestingGuard.MaxDepth)
{
    await Console.Error.WriteLineAsync(ToolApplication.CommandName + ": " + NestingGuard.TooDeepMessage(depth)).ConfigureAwait(false);
    return ExitCodes.SourceFailed;
}

// Inherited by every process the chain starts (credential_process), so that a loop back into this tool is caught.
Environment.SetEnvironmentVariable(NestingGuard.Variable, (depth + 1).ToString(CultureInfo.InvariantCulture));
return await ToolApplication.RunAsync(args, Console.Out, Console.Error, ProcessEnvironment.Instance, TimeProvider.System).ConfigureAwait(false);
