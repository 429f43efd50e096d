using WorkloadCredentials.Internal;
using WorkloadCredentials.Tool;

// workload-credentials: describe / export / whoami over the WorkloadCredentials default chain.
return await ToolApplication.RunAsync(args, Console.Out, Console.Error, ProcessEnvironment.Instance, TimeProvider.System).ConfigureAwait(false);
