// A net10.0 ASP.NET Core app: AddWorkloadCredentials + AddAWSService and nothing else (WorkloadCredentials.AwsSdk.Extensions), as
// the README shows; AWS:ServiceURL comes from its configuration. It calls its own endpoint once and exits, so a script can run it
// like a test. The upload must be signed by the assumed role: the response names the source that signed.
using Amazon.S3;
using Amazon.S3.Model;
using WorkloadCredentials;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddWorkloadCredentials(builder.Configuration.GetSection("AWS"));
builder.Services.AddAWSService<IAmazonS3>();
builder.Services.AddHealthChecks().AddWorkloadCredentials();

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
