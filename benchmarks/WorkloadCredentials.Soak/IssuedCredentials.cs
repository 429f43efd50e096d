using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WorkloadCredentials.Soak;

/// <summary>
/// The credentials the fake STS and IMDS hand out, each with its own random secret and session token, so the fake S3 can tell
/// whether a request was signed with a set that exists and has not expired, and the soak can scan the app's output for them.
/// </summary>
internal sealed class IssuedCredentials
{
    private readonly ConcurrentDictionary<string, Issued> _byAccessKeyId = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _firstLifetime;
    private long _newestExpiryTicks;
    private int _count;

    /// <param name="time">The clock.</param>
    /// <param name="lifetime">How long each set lives.</param>
    /// <param name="firstLifetime">How long the first set lives (the one fetched at start-up).</param>
    public IssuedCredentials(TimeProvider time, TimeSpan lifetime, TimeSpan firstLifetime)
    {
        _time = time;
        _lifetime = lifetime;
        _firstLifetime = firstLifetime;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the expiry of the newest credentials handed out (<see cref="DateTimeOffset.MinValue"/> before the first).</summary>
    public DateTimeOffset NewestExpiry => new(Interlocked.Read(ref _newestExpiryTicks), TimeSpan.Zero);

    public Issued Issue()
    {
        int n = Interlocked.Increment(ref _count);
        var issued = new Issued(
            "ASIASOAK" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            _time.GetUtcNow() + (n == 1 ? _firstLifetime : _lifetime));
        _byAccessKeyId[issued.AccessKeyId] = issued;
        long ticks = issued.Expiration.UtcTicks;
        long seen;
        while ((seen = Interlocked.Read(ref _newestExpiryTicks)) < ticks && Interlocked.CompareExchange(ref _newestExpiryTicks, ticks, seen) != seen)
        {
        }

        return issued;
    }

    /// <summary>Checks a request's access key id and session token: null when they form a live set, else the S3 error code.</summary>
    public string? Check(string? accessKeyId, string? sessionToken)
    {
        if (accessKeyId is null || !_byAccessKeyId.TryGetValue(accessKeyId, out Issued? issued))
        {
            return "InvalidAccessKeyId";
        }

        if (!string.Equals(issued.SessionToken, sessionToken, StringComparison.Ordinal))
        {
            return "InvalidToken";
        }

        return _time.GetUtcNow() >= issued.Expiration ? "ExpiredToken" : null;
    }

    /// <summary>Gets every secret and session token handed out (for the scan of the app's output).</summary>
    public IEnumerable<string> Secrets() => _byAccessKeyId.Values.SelectMany(static i => new[] { i.SecretAccessKey, i.SessionToken });

    /// <summary>One set handed out. A class, not a record: no generated ToString that would print the secret.</summary>
    internal sealed class Issued(string accessKeyId, string secretAccessKey, string sessionToken, DateTimeOffset expiration)
    {
        public string AccessKeyId { get; } = accessKeyId;

        public string SecretAccessKey { get; } = secretAccessKey;

        public string SessionToken { get; } = sessionToken;

        public DateTimeOffset Expiration { get; } = expiration;
    }
}
