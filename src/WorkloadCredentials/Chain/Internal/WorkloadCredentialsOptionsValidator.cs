using Microsoft.Extensions.Options;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>The source-generated DataAnnotations validator of <see cref="WorkloadCredentialsOptions"/> and its nested options.</summary>
[OptionsValidator]
internal sealed partial class WorkloadCredentialsOptionsValidator : IValidateOptions<WorkloadCredentialsOptions>
{
}
