using System.Diagnostics;
using System.Globalization;
using WorkloadCredentials;

// Usage (from benchmarks/trust/measure.sh, in an environment of loopback endpoints only):
//   refresh N  the default chain picks the profile in AWS_PROFILE (credential_source = EcsContainer + role_arn); one cache,
//              N refreshes, each forced by Invalidate with the access key id just handed out.
//   cycles N   the default chain picks the container source; N times: create the cache, fetch once, dispose the cache.
// TRUST_CONTAINER_STATS and TRUST_STS_STATS (optional) are the stats listeners of benchmarks/trust/servers.py; their counters
// are reset first, read when the loop ends, and read again after a full garbage collection. Prints one line of key=value figures.
if (args.Length != 2 || args[0] is not ("refresh" or "cycles") || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int count))
{
    Console.Error.WriteLine("usage: WorkloadCredentials.Trust refresh|cycles COUNT");
    return 2;
}

string[] statsUrls = new[] { "TRUST_CONTAINER_STATS", "TRUST_STS_STATS" }
    .Select(Environment.GetEnvironmentVariable)
    .Where(url => !string.IsNullOrEmpty(url))
    .Select(url => url!)
    .ToArray();
using var stats = new HttpClient();
await ReadStatsAsync("/reset");
int baseline = OpenSockets();
int maxOwnSockets = 0;
int fetched = 0;
var clock = Stopwatch.StartNew();

if (args[0] == "refresh")
{
    using ICachedAwsCredentialSource cache = AwsCredentialSources.CreateDefault();
    for (int i = 0; i < count; i++)
    {
        AwsCredentials credentials = await cache.GetCredentialsAsync();
        cache.Invalidate(credentials.AccessKeyId);
        fetched++;
        maxOwnSockets = Math.Max(maxOwnSockets, OpenSockets() - baseline);
    }
}
else
{
    for (int i = 0; i < count; i++)
    {
        using ICachedAwsCredentialSource cache = AwsCredentialSources.CreateDefault();
        _ = await cache.GetCredentialsAsync();
        fetched++;
        maxOwnSockets = Math.Max(maxOwnSockets, OpenSockets() - baseline);
    }
}

clock.Stop();
string atEnd = await ReadStatsAsync("/stats");
int ownAtEnd = OpenSockets() - baseline;
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
await Task.Delay(500);
string afterGc = await ReadStatsAsync("/stats");
Console.WriteLine(
    $"mode={args[0]} count={count} fetched={fetched} seconds={clock.Elapsed.TotalSeconds:F1} " +
    $"own_max_open_sockets={maxOwnSockets} own_open_at_end={ownAtEnd} own_open_after_gc={OpenSockets() - baseline} " +
    $"servers={atEnd} servers_after_gc={afterGc}");
return 0;

// Each server's counters as compact JSON, container first, joined by '/'.
async Task<string> ReadStatsAsync(string path)
{
    var answers = new List<string>();
    foreach (string url in statsUrls)
    {
        answers.Add((await stats.GetStringAsync(new Uri(url + path))).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    return string.Join('/', answers);
}

// Sockets this process holds (the stats client's own connection is in the baseline).
static int OpenSockets()
{
    int sockets = 0;
    foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
    {
        try
        {
            if (File.ResolveLinkTarget(fd, returnFinalTarget: false)?.FullName.Contains("socket:", StringComparison.Ordinal) == true)
            {
                sockets++;
            }
        }
        catch (IOException)
        {
            // The descriptor closed while listed.
        }
    }

    return sockets;
}
