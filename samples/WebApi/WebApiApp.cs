using System.Net;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace WebApi;

/// <summary>Builds the app: credentials, an S3 client from the container, /credentials, /healthz, /whoami and a small S3 listing.</summary>
public static class WebApiApp
{
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // 0. Loopback only: the endpoints describe the identity of this workload; they are not for the network.
        int port = builder.Configuration.GetValue("Port", 5080);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        // 1. Register the credential chain, bound from the "AWS" section (environment variables fill what it leaves unset).
        builder.Services.AddWorkloadCredentials(builder.Configuration.GetSection("AWS"));

        // 2. AWS SDK clients from the container sign with those credentials (the cache behind them refreshes in the background).
        builder.Services.AddDefaultAWSOptions(sp =>
        {
            AWSOptions options = builder.Configuration.GetAWSOptions();
            options.Credentials = sp.GetRequiredService<AWSCredentials>();
            return options;
        });
        builder.Services.AddAWSService<IAmazonS3>();

        // 3. A health check that is unhealthy when no credentials can be had.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<CredentialsHealthCheck>("aws-credentials");

        WebApplication app = builder.Build();

        // 4. What is active: source, role, expiry. Never a secret.
        app.MapGet("/credentials", CredentialsEndpoint.GetAsync);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

        // 5. Who STS says this workload is (sts:GetCallerIdentity with the same credentials).
        app.MapGet("/whoami", WhoamiEndpoint.GetAsync);

        // 6. The S3 client from the container at work.
        app.MapGet("/buckets/{bucket}/objects", ObjectsEndpoint.ListAsync);
        return app;
    }
}
