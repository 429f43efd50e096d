using Amazon.Runtime;

namespace WorkloadCredentials.Benchmarks.Fakes;

/// <summary>Our source returning fixed credentials with an hour to live, at once.</summary>
internal sealed class OneHourSource : IAwsCredentialSource
{
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
        new(new AwsCredentials("AKIDEXAMPLE", "secret", "token", TimeProvider.System.GetUtcNow().AddHours(1), "Benchmark"));
}

/// <summary>The AWS SDK's refreshing provider returning fixed credentials with an hour to live.</summary>
internal sealed class FixedRefreshingCredentials : RefreshingAWSCredentials
{
    protected override CredentialsRefreshState GenerateNewCredentials() =>
        new(new ImmutableCredentials("AKIDEXAMPLE", "secret", "token"), TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1));
}
