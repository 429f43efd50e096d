using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>The WebApi sample as a process on a loopback port: /credentials, /healthz (healthy and not), /whoami, and an S3 client from the container.</summary>
public sealed class WebApiSampleTests : IAsyncLifetime
{
    private const string AccessKeyId = "AKIDWEBAPISAMPLE0001";
    private const string SecretAccessKey = "webapi-sample-secret-do-not-show";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private MotoServer _moto = null!;
    private DirectoryInfo _work = null!;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        _work = Directory.CreateTempSubdirectory("webapi-tests-");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _moto.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Get_WithEnvironmentKeys_DescribesTheSource_ReportsHealthy_AndListsThroughTheContainersS3Client()
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = _moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync("webapi-bucket", TestContext.Current.CancellationToken);
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "webapi-bucket", Key = "backups/one.tar.gz", ContentBody = "1" }, TestContext.Current.CancellationToken);
        (SampleProcess api, Uri baseAddress) = await StartAsync(withKeys: true);
        await using (api)
        {
            using HttpResponseMessage credentials = await _http.GetAsync(new Uri(baseAddress, "/credentials"), TestContext.Current.CancellationToken);
            string credentialsBody = await credentials.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage health = await _http.GetAsync(new Uri(baseAddress, "/healthz"), TestContext.Current.CancellationToken);
            string healthBody = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage objects = await _http.GetAsync(new Uri(baseAddress, "/buckets/webapi-bucket/objects?prefix=backups/"), TestContext.Current.CancellationToken);
            string objectsBody = await objects.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage whoami = await _http.GetAsync(new Uri(baseAddress, "/whoami"), TestContext.Current.CancellationToken);
            string whoamiBody = await whoami.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage metrics = await _http.GetAsync(new Uri(baseAddress, "/metrics"), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("AWS credentials 'default' resolved at start-up from Environment", api.StandardOutput + api.StandardError, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, credentials.StatusCode);
            using JsonDocument view = JsonDocument.Parse(credentialsBody);
            Assert.Equal("Environment", view.RootElement.GetProperty("source").GetString());
            Assert.Equal("AKIDWEBA***", view.RootElement.GetProperty("accessKeyId").GetString());
            Assert.Equal(JsonValueKind.Null, view.RootElement.GetProperty("expiration").ValueKind);

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using JsonDocument report = JsonDocument.Parse(healthBody);
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
            JsonElement check = report.RootElement.GetProperty("checks")[0];
            Assert.Equal("aws-credentials", check.GetProperty("name").GetString());
            Assert.Equal("AWS credentials for 'default' from Environment.", check.GetProperty("description").GetString());
            Assert.Equal("AKIDWEBA***", check.GetProperty("data").GetProperty("accessKeyId").GetString());

            Assert.Equal(HttpStatusCode.OK, objects.StatusCode);
            Assert.Contains("\"key\":\"backups/one.tar.gz\"", objectsBody, StringComparison.Ordinal);

            // sts:GetCallerIdentity went to moto (AWS_ENDPOINT_URL), as the library resolves the endpoint for the registered source.
            Assert.True(whoami.StatusCode == HttpStatusCode.OK, whoamiBody);
            using JsonDocument identity = JsonDocument.Parse(whoamiBody);
            Assert.Equal("123456789012", identity.RootElement.GetProperty("account").GetString());
            Assert.StartsWith("arn:aws:", identity.RootElement.GetProperty("arn").GetString(), StringComparison.Ordinal);

            string everything = credentialsBody + healthBody + objectsBody + whoamiBody + api.StandardOutput + api.StandardError;
            Assert.DoesNotContain(SecretAccessKey, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(AccessKeyId, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_WithNoCredentialsAnywhere_ReportsUnhealthyWithTheReason_And503()
    {
        (SampleProcess api, Uri baseAddress) = await StartAsync(withKeys: false);
        await using (api)
        {
            using HttpResponseMessage health = await _http.GetAsync(new Uri(baseAddress, "/healthz"), TestContext.Current.CancellationToken);
            string healthBody = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage credentials = await _http.GetAsync(new Uri(baseAddress, "/credentials"), TestContext.Current.CancellationToken);
            string credentialsBody = await credentials.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using HttpResponseMessage whoami = await _http.GetAsync(new Uri(baseAddress, "/whoami"), TestContext.Current.CancellationToken);
            string whoamiBody = await whoami.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, whoami.StatusCode);
            Assert.Contains("No AWS credentials were found", JsonDocument.Parse(whoamiBody).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            using JsonDocument report = JsonDocument.Parse(healthBody);
            Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
            Assert.Contains("AWS_ACCESS_KEY_ID", report.RootElement.GetProperty("checks")[0].GetProperty("description").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, credentials.StatusCode);
            using JsonDocument error = JsonDocument.Parse(credentialsBody);
            Assert.Contains("AWS_ACCESS_KEY_ID", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_ListensOnLoopbackOnly()
    {
        (SampleProcess api, Uri baseAddress) = await StartAsync(withKeys: true);
        await using (api)
        {
            Assert.Equal("127.0.0.1", baseAddress.Host);
            Assert.DoesNotContain("0.0.0.0", api.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("[::]", api.StandardOutput, StringComparison.Ordinal);
        }
    }

    private async Task<(SampleProcess Api, Uri BaseAddress)> StartAsync(bool withKeys)
    {
        int port = MotoServer.GetFreePort();
        SampleProcess api = SampleProcess.Start(
            "WebApi",
            [$"--Port={port}"],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = withKeys ? AccessKeyId : null,
                ["AWS_SECRET_ACCESS_KEY"] = withKeys ? SecretAccessKey : null,
                ["AWS__ServiceURL"] = _moto.Endpoint.ToString(), // the container's S3 client talks to moto
                ["AWS_ENDPOINT_URL"] = _moto.Endpoint.ToString(),
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _moto.Endpoint.ToString(),
                ["AWS_CONFIG_FILE"] = Path.Combine(_work.FullName, "no-config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_work.FullName, "no-credentials"),
            },
            workingDirectory: Path.GetDirectoryName(SampleProcess.AssemblyPath("WebApi")));
        try
        {
            string listening = await api.WaitForLineAsync(l => l.Contains("Now listening on: ", StringComparison.Ordinal), Timeout);
            return (api, new Uri(listening[(listening.IndexOf("http", StringComparison.Ordinal))..].Trim()));
        }
        catch
        {
            string output = api.StandardOutput + api.StandardError;
            await api.DisposeAsync();
            throw new InvalidOperationException("The WebApi sample did not start: " + output);
        }
    }
}
