using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using BenchmarkDotNet.Attributes;
using WorkloadCredentials.Benchmarks.Fakes;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// From a cold cache to the first credentials, per source, against loopback fakes: ours (the public per-source factory behind the
/// public cache, built, asked once, disposed) against the AWS SDK's provider for the same source (built and asked once). The
/// environment variables of the source under test are set inside the process (BenchmarkDotNet runs each case in its own process);
/// every other source is pointed at nothing. <see cref="Source.NothingAvailable"/> times the whole default chain failing: ours
/// (<see cref="AwsCredentialSources.CreateDefault"/>) against <see cref="DefaultAWSCredentialsIdentityResolver"/>, with no keys,
/// no profile files, no web identity, no container endpoint and IMDS on a loopback port that refuses connections.
/// </summary>
[MemoryDiagnoser]
public class FirstCredentialsBenchmarks
{
    private const string Profile = "bench";

    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_STS", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    ];

    private LoopbackAwsFake _fake = null!;
    private string _directory = null!;

    /// <summary>The source whose first credentials are timed.</summary>
    public enum Source
    {
        /// <summary>Environment keys.</summary>
        Environment,

        /// <summary>A static-keys profile in the shared credentials file.</summary>
        Profile,

        /// <summary>Web identity (EKS IRSA) against a fake STS.</summary>
        WebIdentity,

        /// <summary>The container credentials endpoint (full URI on loopback).</summary>
        Container,

        /// <summary>IMDSv2 on loopback.</summary>
        InstanceMetadata,

        /// <summary>The whole default chain, nothing available.</summary>
        NothingAvailable,
    }

    /// <summary>Gets or sets the source under test.</summary>
    [Params(Source.Environment, Source.Profile, Source.WebIdentity, Source.Container, Source.InstanceMetadata, Source.NothingAvailable)]
    public Source Under { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Prepare();

        // Both sides must work (or fail) before they are timed.
        CheckOurs();
        CheckTheirs();
    }

    /// <summary>
    /// Times the very first operation of one side in this process, nothing warmed up (no JIT, no connection, no setup check): what a
    /// workload feels at a cold start. One process per measurement; the command runs both sides alternately in fresh processes.
    /// Run: <c>dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- first-credentials-cold Container ours</c>.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="side"><c>ours</c> or <c>aws-sdk</c>.</param>
    /// <returns>The time of the first operation.</returns>
    public static TimeSpan TimeColdFirst(Source source, string side)
    {
        var bench = new FirstCredentialsBenchmarks { Under = source };
        bench.Prepare();
        try
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            string? accessKey = (side == "ours" ? bench.Ours() : bench.AwsSdk()).GetAwaiter().GetResult();
            TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if ((accessKey is null) != (source == Source.NothingAvailable))
            {
                throw new InvalidOperationException($"{side}, {source}: unexpected answer '{accessKey}'.");
            }

            return elapsed;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private void Prepare()
    {
        _fake = new LoopbackAwsFake();
        _directory = Directory.CreateTempSubdirectory("wlc-bench-").FullName;
        foreach (string name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        string credentialsFile = Path.Combine(_directory, "credentials");
        string tokenFile = Path.Combine(_directory, "token");
        Set("AWS_SHARED_CREDENTIALS_FILE", credentialsFile);
        Set("AWS_CONFIG_FILE", Path.Combine(_directory, "config"));
        Set("AWS_REGION", "us-east-1");
        Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", RefusingEndpoint().ToString());
        switch (Under)
        {
            case Source.Environment:
                Set("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT");
                Set("AWS_SECRET_ACCESS_KEY", "environment-secret");
                break;
            case Source.Profile:
                File.WriteAllText(credentialsFile, $"[{Profile}]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");
                Set("AWS_PROFILE", Profile);
                break;
            case Source.WebIdentity:
                File.WriteAllText(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl");
                Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/bench-role");
                Set("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile);
                Set("AWS_ROLE_SESSION_NAME", "bench");
                Set("AWS_ENDPOINT_URL_STS", _fake.BaseUri.ToString());
                break;
            case Source.Container:
                Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", new Uri(_fake.BaseUri, LoopbackAwsFake.ContainerPath).ToString());
                break;
            case Source.InstanceMetadata:
                Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", _fake.BaseUri.ToString());
                break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fake.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "AwsSdk")]
    public async Task<string?> AwsSdk()
    {
        try
        {
            AWSCredentials provider = Under switch
            {
                Source.Environment => new EnvironmentVariablesAWSCredentials(),
                Source.Profile => new CredentialProfileStoreChain().TryGetAWSCredentials(Profile, out AWSCredentials? profile) ? profile : throw new InvalidOperationException("No profile."),
                Source.WebIdentity => AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables(),
                Source.Container => new GenericContainerCredentials(),
                Source.InstanceMetadata => new InstanceProfileAWSCredentials(),
                _ => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null),
            };
            ImmutableCredentials credentials = await provider.GetCredentialsAsync().ConfigureAwait(false);
            (provider as IDisposable)?.Dispose();
            return credentials.AccessKey;
        }
        catch (AmazonClientException) when (Under == Source.NothingAvailable)
        {
            return null;
        }
    }

    [Benchmark(Description = "Ours")]
    public async Task<string?> Ours()
    {
        try
        {
            using ICachedAwsCredentialSource cache = Under == Source.NothingAvailable
                ? AwsCredentialSources.CreateDefault()
                : AwsCredentialSources.Cache(Under switch
                {
                    Source.Environment => AwsCredentialSources.Environment(),
                    Source.Profile => AwsCredentialSources.Profile(),
                    Source.WebIdentity => AwsCredentialSources.WebIdentity(),
                    Source.Container => AwsCredentialSources.Container(),
                    _ => AwsCredentialSources.InstanceMetadata(),
                });
            AwsCredentials credentials = await cache.GetCredentialsAsync().ConfigureAwait(false);
            return credentials.AccessKeyId;
        }
        catch (CredentialUnavailableException) when (Under == Source.NothingAvailable)
        {
            return null;
        }
    }

    /// <summary>
    /// Counts what one first-credentials operation costs on the wire for one source, per side: requests and TCP connections the
    /// fake saw over <paramref name="operations"/> operations (after the setup's checks). Explains the time rows: a provider that
    /// keeps a process-wide connection pool opens one connection for all operations, one that owns its handler opens one per
    /// operation. One source per process, as in the benchmark (the AWS SDK keeps the IMDS endpoint it read first). Run:
    /// <c>dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- first-credentials-wire Container</c>.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="operations">The operations per side.</param>
    public static void CountWire(Source source, int operations)
    {
        var bench = new FirstCredentialsBenchmarks { Under = source };
        bench.Setup();
        try
        {
            foreach ((string side, Func<Task<string?>> run) in new (string, Func<Task<string?>>)[] { ("aws-sdk", bench.AwsSdk), ("ours", bench.Ours) })
            {
                int requests = bench._fake.Requests;
                int connections = bench._fake.Connections;
                for (int i = 0; i < operations; i++)
                {
                    _ = run().GetAwaiter().GetResult() ?? throw new InvalidOperationException($"{side}, {source}: no credentials.");
                }

                Console.WriteLine(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{source,-17} {side,-8} {operations} operations: {(double)(bench._fake.Requests - requests) / operations:F2} requests and {(double)(bench._fake.Connections - connections) / operations:F2} new connections per operation"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static void Set(string name, string value) => Environment.SetEnvironmentVariable(name, value);

    /// <summary>A loopback port nothing listens on: connections to it are refused.</summary>
    private static Uri RefusingEndpoint()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private void CheckOurs()
    {
        string? accessKey = Ours().GetAwaiter().GetResult();
        if ((accessKey is null) != (Under == Source.NothingAvailable))
        {
            throw new InvalidOperationException($"Ours, {Under}: unexpected answer '{accessKey}'.");
        }
    }

    private void CheckTheirs()
    {
        string? accessKey = AwsSdk().GetAwaiter().GetResult();
        if ((accessKey is null) != (Under == Source.NothingAvailable))
        {
            throw new InvalidOperationException($"AWS SDK, {Under}: unexpected answer '{accessKey}'.");
        }
    }
}
