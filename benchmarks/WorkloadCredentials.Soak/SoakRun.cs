using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WorkloadCredentials.Soak;

/// <summary>
/// One soak: the fakes and the proxy, the WebApi sample as a child process configured through environment variables, the load, the
/// faults and the samples. Prints a Markdown table over time, the totals, and last the one-line verdict.
/// </summary>
internal sealed class SoakRun
{
    /// <summary>
    /// The memory bound: the app's private memory (RssAnon) at the end may exceed the one after the warm-up by this much (MiB) at
    /// most. Its whole RSS also counts the assemblies' code mapped from disk, which grows as code first runs (the first refresh runs
    /// the STS client, the XML reader, ...): that part is bounded apart, by <see cref="RssGrowthMiB"/>.
    /// </summary>
    public const double MemoryGrowthMiB = 24;

    /// <summary>The bound on the growth of the whole RSS (MiB) after the warm-up: private memory plus mapped code.</summary>
    public const double RssGrowthMiB = 64;

    /// <summary>The socket bound: the app may end with this many more open sockets than after the warm-up at most.</summary>
    public const int SocketGrowth = 4;

    /// <summary>The table has this many rows over the run.</summary>
    private const int Rows = 10;

    /// <summary>The first rows are the warm-up (JIT, pools, GC budgets): memory and sockets are compared from the end of it, a fifth of the run.</summary>
    private const int WarmupRows = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly SoakOptions _options;
    private readonly HttpClient _scrape = new() { Timeout = TimeSpan.FromSeconds(10) };

    public SoakRun(SoakOptions options)
    {
        _options = options;
    }

    public async Task<int> RunAsync()
    {
        var activity = new RefreshActivity();
        var issued = new IssuedCredentials(TimeProvider.System, _options.Lifetime, _options.FirstLifetime);
        await using FakeAws fake = await FakeAws.StartAsync(issued, activity);
        await using var proxy = new FaultProxy(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, fake.CredentialPort), activity);
        DirectoryInfo work = Directory.CreateTempSubdirectory("workload-credentials-soak-");
        try
        {
            string webIdentityToken = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=') + ".soak";
            string tokenFile = Path.Combine(work.FullName, "token");
            await File.WriteAllTextAsync(tokenFile, webIdentityToken);
            Dictionary<string, string> environment = Environment(fake, proxy, work, tokenFile);

            var schedule = new FaultSchedule(_options.Seed, _options.Duration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Soak: {_options.Minutes:0.##} min, seed {_options.Seed}, {_options.Workers} workers at most {_options.Rate:0} requests/s, credentials from {(_options.Imds ? "IMDS (AWS_EC2_METADATA_SERVICE_ENDPOINT)" : "STS web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ENDPOINT_URL_STS)")} living {_options.Lifetime.TotalSeconds:0} s{(_options.FirstLifetime != _options.Lifetime ? $" (the first set {_options.FirstLifetime.TotalSeconds:0} s)" : string.Empty)}."));
            Console.WriteLine("Fault schedule: " + string.Join(", ", Enum.GetValues<FaultMode>().Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {schedule.Phases.Count(p => p.Mode == m)} phases"))) + string.Create(CultureInfo.InvariantCulture, $" ({schedule.MinPhase.TotalSeconds:0}-{schedule.MaxPhase.TotalSeconds:0} s each); healthy within {FaultController.ProtectedTail.TotalSeconds:0} s of the newest credentials' expiry."));

            int port = FakeAws.FreePort();
            await using AppProcess app = AppProcess.Start(port, environment);
            IEnumerable<string> Secrets() => issued.Secrets().Append(webIdentityToken);
            Uri baseUri;
            try
            {
                baseUri = await app.WaitListeningAsync(StartTimeout);
                await WaitResolvedAsync(baseUri);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                Console.WriteLine("The app did not start or did not resolve its first credentials: " + ex.Message);
                foreach (string line in app.LastLines(Secrets()))
                {
                    Console.WriteLine("  app: " + line);
                }

                Console.WriteLine("soak: 0 requests, 1 failed, p99 0 ms, memory 0->0 MiB, sockets 0->0");
                return 1;
            }

            var load = new LoadGenerator(new Uri(baseUri, "/buckets/soak-bucket/objects?prefix=backups/"), activity, _options.Workers, _options.Rate);
            var faults = new FaultController(schedule, fake, proxy, issued);
            using var stopFaults = new CancellationTokenSource();
            Task faulting = faults.RunAsync(stopFaults.Token);
            Task loading = load.RunAsync(_options.Duration, CancellationToken.None);

            Console.WriteLine();
            Console.WriteLine("| time | requests | failed | p50 / p99 ms, no refresh | p50 / p99 ms, refresh under way (requests) | RSS MiB | private MiB | GC heap MiB | threads | sockets | credentials issued | endpoints now |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
            Sample start = await SampleAsync(app, baseUri);
            Console.WriteLine(Row(TimeSpan.Zero, new LoadGenerator.Interval(), start, fake.CredentialsServed, faults.Applied));

            var clock = Stopwatch.StartNew();
            TimeSpan interval = _options.Duration / Rows;
            var all = new LoadGenerator.Interval();
            var samples = new List<Sample>();
            for (int row = 1; row <= Rows; row++)
            {
                TimeSpan until = interval * row;
                if (row == Rows)
                {
                    await loading;
                }
                else
                {
                    await Task.Delay(until - clock.Elapsed);
                }

                LoadGenerator.Interval done = load.Cut();
                all.Quiet.AddRange(done.Quiet);
                all.DuringRefresh.AddRange(done.DuringRefresh);
                all.AddFailures(done.Failed);
                Sample sample = await SampleAsync(app, baseUri);
                samples.Add(sample);
                Console.WriteLine(Row(clock.Elapsed, done, sample, fake.CredentialsServed, faults.Applied));
            }

            await stopFaults.CancelAsync();
            await faulting;
            return Report(all, samples, fake, proxy, faults, app, load, issued, Secrets().ToList());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
    }

    private static string Latency(List<double> values) =>
        values.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(values, 0.5):0.0} / {Percentile(values, 0.99):0.0}");

    private static string Row(TimeSpan at, LoadGenerator.Interval interval, Sample sample, int issued, FaultMode mode) =>
        string.Create(CultureInfo.InvariantCulture, $"| {(int)at.TotalMinutes:00}:{at.Seconds:00} | {interval.Requests:N0} | {interval.Failed} | {Latency(interval.Quiet)} | {Latency(interval.DuringRefresh)} ({interval.DuringRefresh.Count:N0}) | {sample.RssMiB:0.0} | {sample.AnonMiB:0.0} | {sample.GcHeapMiB:0.0} | {sample.Threads} | {sample.Sockets} | {issued} | {mode} |");

    private Dictionary<string, string> Environment(FakeAws fake, FaultProxy proxy, DirectoryInfo work, string tokenFile)
    {
        string s3 = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{fake.S3Port}/");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["AWS_REGION"] = "us-east-1",
            // The container's S3 client (AWS:ServiceURL) and any other AWS endpoint go to the fake S3: nothing leaves loopback.
            ["AWS__ServiceURL"] = s3,
            ["AWS_ENDPOINT_URL"] = s3,
            ["AWS_CONFIG_FILE"] = Path.Combine(work.FullName, "no-config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(work.FullName, "no-credentials"),
        };
        if (_options.Imds)
        {
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = proxy.BaseUri.ToString();
        }
        else
        {
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile;
            environment["AWS_ROLE_ARN"] = FakeAws.RoleArn;
            environment["AWS_ROLE_SESSION_NAME"] = "soak";
            environment["AWS_ENDPOINT_URL_STS"] = proxy.BaseUri.ToString();
            environment["AWS_EC2_METADATA_DISABLED"] = "true";
        }

        return environment;
    }

    private async Task WaitResolvedAsync(Uri baseUri)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await _scrape.GetAsync(new Uri(baseUri, "/credentials"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException("GET /credentials did not answer 200 within " + StartTimeout.TotalSeconds + " s.");
            }

            await Task.Delay(250);
        }
    }

    private async Task<Sample> SampleAsync(AppProcess app, Uri baseUri)
    {
        (double rss, double anon, int threads, int sockets) = app.HasExited ? (0, 0, 0, 0) : app.ReadProc();
        double heap = double.NaN;
        var refreshes = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            string metrics = await _scrape.GetStringAsync(new Uri(baseUri, "/metrics"));
            heap = Prometheus.Sum(metrics, "dotnet_gc_last_collection_heap_size_bytes") / (1024 * 1024);
            refreshes = Prometheus.SumBy(metrics, "workload_credentials_refreshes_total", "workload_credentials_outcome");
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }

        return new Sample(rss, anon, heap, threads, sockets, refreshes);
    }

    private static int Report(
        LoadGenerator.Interval all,
        List<Sample> samples,
        FakeAws fake,
        FaultProxy proxy,
        FaultController faults,
        AppProcess app,
        LoadGenerator load,
        IssuedCredentials issued,
        List<string> secrets)
    {
        Sample first = samples[WarmupRows - 1];
        Sample last = samples[^1];
        (TimeSpan[] timeIn, TimeSpan held, int transitions) = faults.Totals();
        int leaks = app.LinesContaining(secrets);
        Console.WriteLine();
        Console.WriteLine("Endpoints: " + string.Join(", ", Enum.GetValues<FaultMode>().Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {timeIn[(int)m].TotalSeconds:0} s ({(m == FaultMode.Reset ? proxy.ResetOnArrival : fake.RequestsIn(m))} {(m == FaultMode.Reset ? "connections" : "requests")})")))
            + string.Create(CultureInfo.InvariantCulture, $"; {transitions} changes; faults held off for {held.TotalSeconds:0} s near expiry; {proxy.ResetConnections} open connections reset on entering Refused or Reset (refused connections are not counted: nothing listens)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Credentials issued: {issued.Count} (the first fetch and {issued.Count - 1} refreshes). The library's refreshes by outcome: {(last.Refreshes.Count == 0 ? "-" : string.Join(", ", last.Refreshes.Select(r => $"{r.Key} {r.Value:0}")))}."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fake S3: {fake.S3Accepted:N0} requests accepted, {fake.S3Rejected} rejected (unknown, mixed or expired credentials). App log: {app.Warnings} warnings or errors; {leaks} lines with a secret."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Latency (p50 / p99 ms): {Latency(all.Quiet)} with no refresh under way ({all.Quiet.Count:N0} requests); {Latency(all.DuringRefresh)} with one under way ({all.DuringRefresh.Count:N0})."));
        if (load.FailureReasons.Count > 0)
        {
            Console.WriteLine("Failures: " + string.Join(", ", load.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
        }

        var problems = new List<string>();
        if (all.Failed > 0)
        {
            problems.Add($"{all.Failed} requests failed");
        }

        if (fake.S3Rejected > 0)
        {
            problems.Add($"S3 rejected {fake.S3Rejected} requests");
        }

        if (leaks > 0)
        {
            problems.Add($"{leaks} lines of the app's output hold a secret");
        }

        if (app.HasExited)
        {
            problems.Add("the app exited");
        }

        if (last.AnonMiB > first.AnonMiB + MemoryGrowthMiB)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"private memory grew by {last.AnonMiB - first.AnonMiB:0.0} MiB (bound {MemoryGrowthMiB:0} MiB)"));
        }

        if (last.RssMiB > first.RssMiB + RssGrowthMiB)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"RSS grew by {last.RssMiB - first.RssMiB:0.0} MiB (bound {RssGrowthMiB:0} MiB)"));
        }

        if (last.Sockets > first.Sockets + SocketGrowth)
        {
            problems.Add($"sockets grew by {last.Sockets - first.Sockets} (bound {SocketGrowth})");
        }

        if (problems.Count > 0)
        {
            Console.WriteLine("Failed: " + string.Join("; ", problems) + ".");
            foreach (string line in app.LastLines(secrets))
            {
                Console.WriteLine("  app: " + line);
            }
        }

        double p99 = Percentile([.. all.Quiet, .. all.DuringRefresh], 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: {all.Requests} requests, {all.Failed} failed, p99 {p99:0.0} ms, memory {first.RssMiB:0.0}->{last.RssMiB:0.0} MiB, sockets {first.Sockets}->{last.Sockets}"));
        return problems.Count == 0 ? 0 : 1;
    }

    private sealed record Sample(double RssMiB, double AnonMiB, double GcHeapMiB, int Threads, int Sockets, Dictionary<string, double> Refreshes);
}
