using System.Diagnostics;
using System.Net;

namespace WorkloadCredentials.Soak;

/// <summary>
/// A bounded load: <c>workers</c> concurrent loops, together at most <c>rate</c> requests per second, each a GET of an endpoint of
/// the app that signs an S3 request with the cached credentials. Any answer but 200 (or no answer within the timeout) is a failure.
/// Latencies are kept per interval, apart for requests that overlapped a call of the app to its credential endpoints.
/// </summary>
internal sealed class LoadGenerator
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly Uri _target;
    private readonly RefreshActivity _activity;
    private readonly int _workers;
    private readonly double _rate;
    private readonly object _lock = new();
    private Interval _current = new();
    private readonly Dictionary<string, int> _failureReasons = new(StringComparer.Ordinal);

    public LoadGenerator(Uri target, RefreshActivity activity, int workers, double rate)
    {
        _target = target;
        _activity = activity;
        _workers = workers;
        _rate = rate;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false }) { Timeout = RequestTimeout };
    }

    public IReadOnlyDictionary<string, int> FailureReasons
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_failureReasons, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Takes what was measured since the last call and starts a new interval.</summary>
    public Interval Cut()
    {
        lock (_lock)
        {
            Interval done = _current;
            _current = new Interval();
            return done;
        }
    }

    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan spacing = TimeSpan.FromSeconds(_workers / _rate);
        await Task.WhenAll(Enumerable.Range(0, _workers).Select(worker => Task.Run(async () =>
        {
            // Each worker sends at most one request per `spacing`, the workers offset from each other.
            TimeSpan next = spacing * worker / _workers;
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                }

                next += spacing;
                await SendAsync(cancellationToken);
            }
        }, cancellationToken)));
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        (long, bool) mark = _activity.Mark();
        long started = Stopwatch.GetTimestamp();
        string? failure = null;
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(_target, cancellationToken);
            _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failure = "HTTP " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // the soak is ending: not a request of the run
        }
        catch (Exception ex)
        {
            failure = ex.GetType().Name;
        }

        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        bool duringRefresh = _activity.OverlapsSince(mark);
        lock (_lock)
        {
            _current.Add(ms, duringRefresh, failure is not null);
            if (failure is not null)
            {
                _failureReasons[failure] = _failureReasons.GetValueOrDefault(failure) + 1;
            }
        }
    }

    /// <summary>The requests of one interval of the run.</summary>
    internal sealed class Interval
    {
        public List<double> Quiet { get; } = [];

        public List<double> DuringRefresh { get; } = [];

        public int Failed { get; private set; }

        public int Requests => Quiet.Count + DuringRefresh.Count;

        public void Add(double milliseconds, bool duringRefresh, bool failed)
        {
            (duringRefresh ? DuringRefresh : Quiet).Add(milliseconds);
            Failed += failed ? 1 : 0;
        }

        public void AddFailures(int failed) => Failed += failed;
    }
}
