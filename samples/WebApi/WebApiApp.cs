using System.Net;
using Amazon.S3;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace WebApi;

/// <summary>
/// Builds the app: credentials, an S3 client from the container (no glue), /credentials, /healthz, /metrics, /whoami and a small
/// S3 listing; the library's metrics and traces through OpenTelemetry.
/// </summary>
public static class WebApiApp
{
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // 0. Loopback only: the endpoints describe the identity of this workload; they are not for the network.
        int port = builder.Configuration.GetValue("Port", 5080);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        // 1. The credential chain, bound from the "AWS" section (environment variables fill what it leaves unset). With the
        //    WorkloadCredentials.AwsSdk.Extensions package, AWS SDK clients from the container sign with it and keep AWS:Region,
        //    AWS:ServiceURL and the rest of the section. Resolved once at start-up (AWS:Startup), so the first request is a cache hit.
        builder.Services.AddWorkloadCredentials(builder.Configuration.GetSection("AWS"));
        builder.Services.AddAWSService<IAmazonS3>();

        // 2. Health: Healthy when fresh, Degraded when served after failed refreshes, Unhealthy when nothing resolves or expired.
        builder.Services.AddHealthChecks().AddWorkloadCredentials();
        builder.Services.AddSingleton(TimeProvider.System);

        // 3. The library's metrics (Prometheus scrape at /metrics) and traces (to the console when Telemetry:ConsoleTraces is true);
        //    the runtime's metrics beside them (GC heap, thread pool: what the soak in benchmarks/ samples over time).
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter("WorkloadCredentials", "System.Runtime").AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource("WorkloadCredentials");
                if (builder.Configuration.GetValue("Telemetry:ConsoleTraces", false))
                {
                    tracing.AddConsoleExporter();
                }
            });

        WebApplication app = builder.Build();

        // 4. What is active: source, role, expiry. Never a secret.
        app.MapGet("/credentials", CredentialsEndpoint.GetAsync);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");

        // 5. Who STS says this workload is (sts:GetCallerIdentity with the same credentials).
        app.MapGet("/whoami", WhoamiEndpoint.GetAsync);

        // 6. The S3 client from the container at work.
        app.MapGet("/buckets/{bucket}/objects", ObjectsEndpoint.ListAsync);
        return app;
    }
}
