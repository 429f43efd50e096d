using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>
/// The hosted service <c>AddWorkloadCredentials</c> registers: warns about AWS SDK clients that would not sign with the registered
/// credentials, then resolves every registration once (bounded by <see cref="WorkloadCredentialsStartupOptions.Timeout"/>), failing
/// start-up when asked to.
/// </summary>
internal sealed class WorkloadCredentialsStartup(IServiceProvider services, WorkloadCredentialsRegistry registry, IOptions<WorkloadCredentialsStartupOptions> options) : IHostedService
{
    private readonly ILogger _logger = services.GetService<ILoggerFactory>()?.CreateLogger("WorkloadCredentials.Startup") ?? NullLogger.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (SdkRegistrationCheck.FindUnwiredClients(registry.Services) is { Count: > 0 } clients)
        {
            StartupLog.SdkClientsNotWired(_logger, string.Join(", ", clients));
        }

        WorkloadCredentialsStartupOptions settings = options.Value;
        if (!settings.WarmUp)
        {
            return;
        }

        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        using var budget = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        IReadOnlyList<string> names = registry.Names;
        string?[] failures = await Task.WhenAll(names.Select(name => WarmUpAsync(name, settings.Timeout, budget, linked.Token))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        string[] failed = [.. failures.OfType<string>()];
        if (failed.Length == 0)
        {
            return;
        }

        string message = string.Join(Environment.NewLine, failed);
        if (settings.FailWhenUnresolved)
        {
            throw new InvalidOperationException(
                $"Start-up stopped: no AWS credentials (WorkloadCredentialsStartupOptions.FailWhenUnresolved, configuration key AWS:Startup:FailWhenUnresolved).{Environment.NewLine}{message}");
        }

        StartupLog.WarmUpFailed(_logger, message);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string?> WarmUpAsync(string name, TimeSpan timeout, CancellationTokenSource budget, CancellationToken cancellationToken)
    {
        string label = name.Length == 0 ? "default" : name;
        IAwsCredentialSource source = name.Length == 0
            ? services.GetRequiredService<ICachedAwsCredentialSource>()
            : services.GetRequiredKeyedService<ICachedAwsCredentialSource>(name);
        try
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            StartupLog.WarmedUp(_logger, label, credentials.SourceName, credentials.RedactedAccessKeyId, credentials.Expiration);
            return null;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            return StartupFailureText.Describe(label, source, $"nothing resolved within {timeout.TotalSeconds:0.#} s (AWS:Startup:Timeout)");
        }
        catch (Exception ex) when (ex is AwsCredentialException or CredentialUnavailableException)
        {
            return StartupFailureText.Describe(label, source, ex.Message);
        }
    }
}
