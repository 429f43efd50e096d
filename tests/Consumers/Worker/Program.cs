// A net8.0 worker on Microsoft.Extensions.Hosting 8.0.x: credentials registered from configuration, resolved through DI.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkloadCredentials;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWorkloadCredentials(builder.Configuration.GetSection("AWS"));
using IHost host = builder.Build();
await host.StartAsync();

IAwsCredentialSource source = host.Services.GetRequiredService<IAwsCredentialSource>();
AwsCredentials credentials = await source.GetCredentialsAsync();
Console.WriteLine($"worker: runtime {Environment.Version}, {credentials}");
await host.StopAsync();

string? expectedRole = builder.Configuration["AWS:AssumeRole:RoleArn"];
return credentials.SourceName == "AssumeRole" && expectedRole is not null && credentials.RoleArn?.Contains(expectedRole.Split('/')[^1], StringComparison.Ordinal) == true ? 0 : 1;
