// A net10.0 ASP.NET Core app: AddWorkloadCredentials + AddAWSService, as the README shows. It calls its own endpoint once and
// exits, so a script can run it like a test.
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using WorkloadCredentials;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddWorkloadCredentials(builder.Configuration.GetSection("AWS"));
builder.Services.AddDefaultAWSOptions(sp => new AWSOptions
{
    Credentials = sp.GetRequiredService<AWSCredentials>(),
    DefaultClientConfig = { ServiceURL = builder.Configuration["Consumer:S3Url"], AuthenticationRegion = "us-east-1" },
});
builder.Services.AddAWSService<IAmazonS3>();

WebApplication app = builder.Build();
app.MapPost("/upload", async (IAmazonS3 s3, IAwsCredentialSource source, CancellationToken ct) =>
{
    string bucket = builder.Configuration["Consumer:Bucket"]!;
    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "consumer/webapp", ContentBody = "hello from net10.0" }, ct);
    AwsCredentials credentials = await source.GetCredentialsAsync(ct);
    return Results.Text($"uploaded with {credentials.SourceName} as {credentials.RoleArn}");
});

await app.StartAsync();
string url = app.Urls.First();
using var http = new HttpClient();
HttpResponseMessage response = await http.PostAsync(url + "/upload", null);
string text = await response.Content.ReadAsStringAsync();
Console.WriteLine($"webapp: runtime {Environment.Version}, HTTP {(int)response.StatusCode}: {text}");
await app.StopAsync();
return response.IsSuccessStatusCode && text.Contains("AssumeRole", StringComparison.Ordinal) ? 0 : 1;
