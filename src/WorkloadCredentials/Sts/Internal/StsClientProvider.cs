using Amazon.Runtime;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Creates a source's one STS client at its first call (when the region may need a hint, such as the EC2 instance's region) and
/// keeps it for the life of the source: no client per refresh.
/// </summary>
internal sealed class StsClientProvider : IDisposable
{
    private readonly StsClientSettings _settings;
    private readonly IRegionHint? _regionHint;
    private readonly AWSCredentials _credentials;
    private readonly HttpMessageHandler? _httpHandler;
    private readonly TimeProvider _timeProvider;
    private readonly CredentialTelemetry _telemetry;
    private readonly string _sourceName;
    private readonly Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? _connectCallback;
    private readonly Func<double>? _random;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StsClient? _client;

    public StsClientProvider(
        StsClientSettings settings,
        IRegionHint? regionHint,
        AWSCredentials credentials,
        HttpMessageHandler? httpHandler,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry,
        string sourceName,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null,
        Func<double>? random = null)
    {
        _connectCallback = connectCallback;
        _random = random;
        _settings = settings;
        _regionHint = regionHint;
        _credentials = credentials;
        _httpHandler = httpHandler;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _sourceName = sourceName;
    }

    public StsClientSettings Settings => _settings;

    public ValueTask<StsClient> GetAsync(CancellationToken cancellationToken)
    {
        StsClient? client = Volatile.Read(ref _client);
        return client is not null ? new ValueTask<StsClient>(client) : CreateAsync(cancellationToken);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _client, null)?.Dispose();
        _gate.Dispose();
    }

    private async ValueTask<StsClient> CreateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { } existing)
            {
                return existing;
            }

            (string region, string origin) = await ResolveRegionAsync(cancellationToken).ConfigureAwait(false);
            StsEndpoint endpoint = StsEndpointResolver.Resolve(_settings, region, origin);
            _telemetry.StsEndpointSelected(_sourceName, endpoint.Url, endpoint.SigningRegion, endpoint.Origin);
            var client = new StsClient(endpoint, _settings, _credentials, _httpHandler, _timeProvider, _telemetry, _sourceName, _connectCallback, _random);
            Volatile.Write(ref _client, client);
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<(string Region, string Origin)> ResolveRegionAsync(CancellationToken cancellationToken)
    {
        if (_settings.Region is { } configured)
        {
            return (configured, _settings.RegionOrigin);
        }

        if (_regionHint is not null)
        {
            string? hinted = await _regionHint.GetRegionAsync(cancellationToken).ConfigureAwait(false);
            if (StsSettingsResolver.Blank(hinted) is { } region)
            {
                return StsValidation.Region(region, _regionHint.Description) is { } error
                    ? throw StsSettingsResolver.Invalid(_sourceName, error)
                    : (region, _regionHint.Description);
            }
        }

        _telemetry.StsRegionDefaulted(_sourceName, _regionHint?.Description ?? "no region hint");
        return (StsConstants.DefaultRegion, "the default region");
    }
}
