using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// The library's <see cref="Meter"/> (named <see cref="MeterName"/>), its instruments and the <see cref="ActivitySource"/>: one set per
/// <see cref="IMeterFactory"/> (a container's), or the process-wide <see cref="Default"/> without one. Only
/// <see cref="CredentialTelemetry"/> and its scopes record on them; names follow the OpenTelemetry semantic conventions (dotted
/// lowercase, units in UCUM, durations in seconds).
/// </summary>
internal sealed class CredentialInstruments
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string MeterName = "WorkloadCredentials";

    public const string Refreshes = "workload_credentials.refreshes";
    public const string RefreshDuration = "workload_credentials.refresh.duration";
    public const string TimeUntilExpiry = "workload_credentials.cache.time_until_expiry";
    public const string StaleServes = "workload_credentials.cache.stale_serves";
    public const string Invalidations = "workload_credentials.cache.invalidations";
    public const string ServiceCalls = "workload_credentials.service.calls";

    private static readonly ConditionalWeakTable<IMeterFactory, CredentialInstruments> ByFactory = [];
    private static readonly string? Version = typeof(CredentialInstruments).Assembly.GetName().Version?.ToString();

    private readonly object _observedLock = new();
    private readonly List<WeakReference<IExpiryObservable>> _observed = [];

    /// <param name="meterFactory">The factory that creates (and owns) the meter; <see langword="null"/> for a meter of this instance's own.</param>
    public CredentialInstruments(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = Version }) ?? new Meter(MeterName, Version);
        RefreshCounter = Meter.CreateCounter<long>(Refreshes, "{refresh}", "Credential refreshes by the cache, by source, trigger and outcome.");
        RefreshDurationHistogram = Meter.CreateHistogram<double>(
            RefreshDuration, "s", "Time a refresh spent fetching credentials from its source.");
        StaleServeCounter = Meter.CreateCounter<long>(
            StaleServes, "{call}", "Calls answered with cached credentials due for refresh (or expired) because a refresh failed.");
        InvalidationCounter = Meter.CreateCounter<long>(Invalidations, "{invalidation}", "Cached credentials reported as rejected and dropped.");
        ServiceCallCounter = Meter.CreateCounter<long>(
            ServiceCalls, "{call}", "Calls to STS, instance metadata and container endpoints, by outcome and the attempts each took.");
        _ = Meter.CreateObservableGauge<double>(TimeUntilExpiry, ObserveExpiries, "s", "Time until the credentials each cache holds expire.");
    }

    /// <summary>Gets the instruments of the process-wide meter, for sources built without a container.</summary>
    public static CredentialInstruments Default { get; } = new(meterFactory: null);

    /// <summary>Gets the activity source of every span the library starts.</summary>
    public static ActivitySource ActivitySource { get; } = new(MeterName, Version);

    public Meter Meter { get; }

    internal Counter<long> RefreshCounter { get; }

    internal Histogram<double> RefreshDurationHistogram { get; }

    internal Counter<long> StaleServeCounter { get; }

    internal Counter<long> InvalidationCounter { get; }

    internal Counter<long> ServiceCallCounter { get; }

    /// <summary>Gets the instruments of <paramref name="meterFactory"/> (created once per factory), or <see cref="Default"/>.</summary>
    public static CredentialInstruments For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default : ByFactory.GetValue(meterFactory, static f => new CredentialInstruments(f));

    /// <summary>Adds a cache to the expiry gauge until the returned registration is disposed (held weakly: a lost cache drops out).</summary>
    public IDisposable ObserveExpiry(IExpiryObservable cache)
    {
        var reference = new WeakReference<IExpiryObservable>(cache);
        lock (_observedLock)
        {
            _observed.Add(reference);
        }

        return new Registration(this, reference);
    }

    private List<Measurement<double>> ObserveExpiries()
    {
        var measurements = new List<Measurement<double>>();
        lock (_observedLock)
        {
            _ = _observed.RemoveAll(static r => !r.TryGetTarget(out _));
            foreach (WeakReference<IExpiryObservable> reference in _observed)
            {
                if (reference.TryGetTarget(out IExpiryObservable? cache) && cache.TryGetTimeUntilExpiry(out TimeSpan remaining, out string? source))
                {
                    measurements.Add(new Measurement<double>(remaining.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.Source, source)));
                }
            }
        }

        return measurements;
    }

    private sealed class Registration(CredentialInstruments owner, WeakReference<IExpiryObservable> reference) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._observedLock)
            {
                _ = owner._observed.Remove(reference);
            }
        }
    }
}
