using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Installs the process-wide parts of the secret scan before any test runs: the registry is filled, every first-chance
/// exception of ours is scanned, and an <see cref="ActivityListener"/> and a <see cref="MeterListener"/> scan every span
/// attribute and metric tag from sources and meters whose name starts with <see cref="TelemetryPrefix"/>.
/// </summary>
/// <remarks>
/// Which exceptions: those whose type, or whose throwing method, lives in the library, the CLI or a sample (what reaches
/// a caller), with every inner exception they carry. An exception thrown and caught inside the AWS SDK or the BCL (an STS
/// error that echoes the request, which the library then cleans) is not a leak by itself. Set
/// <c>WORKLOAD_CREDENTIALS_SECRET_SCAN_EXCEPTIONS=all</c> to scan every exception thrown in the process (diagnostics).
/// </remarks>
internal static class SecretScanHooks
{
    /// <summary>Activity sources and meters whose name starts with this are scanned.</summary>
    public const string TelemetryPrefix = "WorkloadCredentials";

    public const string ExceptionsVariable = "WORKLOAD_CREDENTIALS_SECRET_SCAN_EXCEPTIONS";

    private static readonly HashSet<string> OwnAssemblies = new(StringComparer.Ordinal)
    {
        "WorkloadCredentials", "workload-credentials", "BackupUploader", "WebApi",
    };

    private static readonly ConditionalWeakTable<Exception, object> Scanned = [];
    private static readonly object Seen = new();
    private static bool _scanAllExceptions;
    private static ActivityListener? _activities;
    private static MeterListener? _meters;

    [ThreadStatic]
    private static bool t_scanning;

    [ModuleInitializer]
    internal static void Install()
    {
        KnownTestSecrets.RegisterAll();
        _scanAllExceptions = string.Equals(Environment.GetEnvironmentVariable(ExceptionsVariable), "all", StringComparison.OrdinalIgnoreCase);
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;

        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name.StartsWith(TelemetryPrefix, StringComparison.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = ScanActivity,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith(TelemetryPrefix, StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<byte>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<short>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<int>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<long>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<float>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<double>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.SetMeasurementEventCallback<decimal>(static (instrument, _, tags, _) => ScanTags(instrument, tags));
        _meters.Start();
    }

    /// <summary>Whether the exception's type or its throwing method belongs to the library, the CLI or a sample.</summary>
    internal static bool IsOurs(Exception exception)
    {
        if (OwnAssemblies.Contains(exception.GetType().Assembly.GetName().Name ?? string.Empty))
        {
            return true;
        }

        try
        {
            return exception.TargetSite?.DeclaringType?.Assembly.GetName().Name is { } name && OwnAssemblies.Contains(name);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (t_scanning)
        {
            return; // an exception thrown while scanning (or by the scan's own failure) is not scanned again
        }

        t_scanning = true;
        try
        {
            Exception exception = e.Exception;
            if ((_scanAllExceptions || IsOurs(exception)) && Scanned.TryAdd(exception, Seen))
            {
                SecretScanner.CheckException(exception);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The scan must never change what the code under test sees.
        }
        finally
        {
            t_scanning = false;
        }
    }

    private static void ScanActivity(Activity activity)
    {
        var text = new System.Text.StringBuilder();
        text.Append(activity.OperationName).Append('\n').Append(activity.DisplayName).Append('\n').Append(activity.StatusDescription).Append('\n');
        foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
        {
            text.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
        }

        foreach (ActivityEvent activityEvent in activity.Events)
        {
            text.Append(activityEvent.Name).Append('\n');
            foreach (KeyValuePair<string, object?> tag in activityEvent.Tags)
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
            }
        }

        foreach (KeyValuePair<string, string?> item in activity.Baggage)
        {
            text.Append(item.Key).Append('=').Append(item.Value).Append('\n');
        }

        SecretScanner.Check(text.ToString(), $"span {activity.Source.Name}/{activity.OperationName}");
    }

    private static void ScanTags(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return;
        }

        var text = new System.Text.StringBuilder();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            text.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
        }

        SecretScanner.Check(text.ToString(), $"metric {instrument.Meter.Name}/{instrument.Name}");
    }
}
