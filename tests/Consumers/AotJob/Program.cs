// The library under native AOT: configuration binding (source-generated), DI, the default chain and an STS call.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkloadCredentials;

IConfiguration configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["AWS:AssumeRole:RoleArn"] = Environment.GetEnvironmentVariable("CONSUMER_ROLE_ARN") })
    .Build();
var services = new ServiceCollection();
services.AddWorkloadCredentials(configuration.GetSection("AWS"));
await using ServiceProvider provider = services.BuildServiceProvider();

AwsCredentials credentials = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync();
Console.WriteLine($"aot-job: native {!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported}, {credentials}");
return credentials.SourceName == "AssumeRole" ? 0 : 1;
