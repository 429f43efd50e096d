using System.Net;
using System.Text.Json;
using WorkloadCredentials.Container;
using WorkloadCredentials.Container.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Container;

/// <summary>
/// The AWS SDKs' container credentials URI vectors (smithy-rs <c>ecs-tests.json</c>, 11 cases): relative URI on 169.254.170.2,
/// full URIs over HTTPS to any host, plain HTTP only to loopback and the ECS/EKS agent hosts, relative before full, query strings kept.
/// Endpoint selection is checked without sending anything (most expected hosts are not loopback). Rust's error texts are mapped
/// by category: "No environment variables were set" is <see cref="CredentialUnavailableException"/> (the chain moves on), an
/// invalid URI is a non-recoverable <see cref="AwsCredentialException"/> naming the variable.
/// </summary>
public sealed class ContainerEndpointConformanceTests
{
    private static readonly string[] File = ConformanceCases.SmithyConfig("ecs-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "docs");

    [Fact]
    public void Vectors_AllElevenPresent()
    {
        Assert.Equal(11, ConformanceCases.Count(File, Select, "docs"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Resolve_Vector_MatchesResult(string docs)
    {
        JsonElement test = ConformanceCases.Get(File, Select, "docs", docs);
        var context = new HostSourceTestContext();
        foreach (JsonProperty variable in test.GetProperty("env").EnumerateObject())
        {
            context.Environment[variable.Name] = variable.Value.GetString();
        }

        string? relative = context.Environment.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        string? full = context.Environment.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        JsonElement result = test.GetProperty("result");
        if (result.TryGetProperty("Ok", out JsonElement ok))
        {
            Uri endpoint = ContainerEndpoint.Resolve(relative, full);
            Assert.Equal(ok.GetString(), endpoint.AbsoluteUri);
            return;
        }

        string rustError = result.GetProperty("ErrorContains").GetString()!;
        var handler = new LoopbackGuardHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var source = new ContainerCredentialSource(context.Build(handler: handler));
        AwsCredentialException error = await Assert.ThrowsAnyAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Container", error.SourceName);
        Assert.Empty(handler.Requests);
        if (rustError.StartsWith("No environment variables", StringComparison.Ordinal))
        {
            Assert.IsType<CredentialUnavailableException>(error);
            Assert.Contains("no environment variables were set", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.IsNotType<CredentialUnavailableException>(error);
            Assert.False(error.IsRecoverable);
            Assert.Contains("did not specify a host", error.Message, StringComparison.Ordinal);
            Assert.Contains("AWS_CONTAINER_CREDENTIALS_FULL_URI", error.Message, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.GetProperty("tests").EnumerateArray();
}
