using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// What telemetry tests observe, isolated from every other test running at the same time: a meter of the test's own (through an
/// <see cref="IMeterFactory"/>, as a container gives one), every measurement on it, and the library's spans of the test's own trace
/// (or those matching a predicate, for root spans).
/// </summary>
internal sealed class TelemetryTestKit : IDisposable
{
    private static readonly ActivitySource TestSource = new("Tests.Telemetry");

    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<(string Instrument, object Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public TelemetryTestKit(Func<Activity, bool>? alsoCollect = null)
    {
        MeterFactory = new TestMeterFactory();
        Instruments = new CredentialInstruments(MeterFactory);
        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is CredentialInstruments.MeterName or "Tests.Telemetry",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == CredentialInstruments.MeterName
                    && ((Root is { } root && activity.TraceId == root.TraceId) || alsoCollect?.Invoke(activity) == true))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, Instruments.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((i, v, t, _) => _measurements.Enqueue((i.Name, v, t.ToArray())));
        _meters.SetMeasurementEventCallback<double>((i, v, t, _) => _measurements.Enqueue((i.Name, v, t.ToArray())));
        _meters.Start();
        Root = TestSource.StartActivity("test");
    }

    public TestMeterFactory MeterFactory { get; }

    public CredentialInstruments Instruments { get; }

    /// <summary>Gets the test's own span: the library's spans under it are collected.</summary>
    public Activity? Root { get; }

    public IReadOnlyList<Activity> Spans => [.. _stopped];

    public IReadOnlyList<(string Instrument, object Value, KeyValuePair<string, object?>[] Tags)> Measurements => [.. _measurements];

    public FakeLogCollector Logs { get; } = Infrastructure.SecretScanning.SecretScanLogging.NewCollector();

    public CredentialTelemetry Telemetry(string category = "test") => new(new FakeLogger(Logs, category), Instruments);

    /// <summary>A source context whose logs, metrics and spans this kit observes; every connection stays on loopback.</summary>
    public CredentialSourceContext Context(WorkloadCredentialsOptions options, IEnvironment? environment = null, TimeProvider? timeProvider = null) =>
        new(options, environment ?? new DictionaryEnvironment(), timeProvider, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs))))
        {
            ConnectCallback = NetworkSafety.LoopbackConnectAsync,
            Instruments = Instruments,
        };

    public void Clear()
    {
        _stopped.Clear();
        _measurements.Clear();
        Logs.Clear();
    }

    /// <summary>The log text alone (messages, state and exceptions).</summary>
    public string LogText() => string.Join('\n', Logs.GetSnapshot().Select(r =>
        $"{r.Message} {r.Exception} {string.Join(',', (r.StructuredState ?? []).Select(p => p.Value))}"));

    /// <summary>Every span name, attribute, event and status, and every metric tag observed, as one text.</summary>
    public string SpanAndMetricText()
    {
        var text = new StringBuilder();
        foreach (Activity span in Spans)
        {
            text.Append(span.OperationName).Append(' ').Append(span.DisplayName).Append(' ').Append(span.StatusDescription).Append('\n');
            foreach (KeyValuePair<string, object?> tag in span.TagObjects)
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
            }

            foreach (ActivityEvent e in span.Events)
            {
                text.Append(e.Name).Append('\n');
            }
        }

        foreach ((string instrument, object value, KeyValuePair<string, object?>[] tags) in Measurements)
        {
            text.Append(instrument).Append(' ').Append(value).Append(' ').AppendJoin(',', tags.Select(t => $"{t.Key}={t.Value}")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Everything observed: spans, metric tags and log text (levels, ids, messages, state, exceptions).</summary>
    public string AllText() => SpanAndMetricText() + "\n" + string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Level} {r.Id} {r.Message} {r.Exception}")) + "\n" + LogText();

    public void Dispose()
    {
        Root?.Dispose();
        _activities.Dispose();
        _meters.Dispose();
        MeterFactory.Dispose();
    }

    internal sealed class TestMeterFactory : IMeterFactory
    {
        private readonly ConcurrentBag<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (Meter meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}

/// <summary>Reads a tag of a measurement or span.</summary>
internal static class TagReading
{
    public static object? Tag(this KeyValuePair<string, object?>[] tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value;

    /// <summary>Whether the measurement carries each of <paramref name="tags"/> (and maybe others).</summary>
    public static bool HasTags<T>(this Microsoft.Extensions.Diagnostics.Metrics.Testing.CollectedMeasurement<T> measurement, params (string Key, object? Value)[] tags)
        where T : struct =>
        tags.All(t => measurement.Tags.TryGetValue(t.Key, out object? value) && Equals(value, t.Value));

    public static Dictionary<string, object?> Tags(this Activity span) => span.TagObjects.ToDictionary(t => t.Key, t => t.Value);
}
