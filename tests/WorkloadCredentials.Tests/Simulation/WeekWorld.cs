using System.Globalization;
using System.Net;
using System.Text;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// The services of the simulated week, in process (an <see cref="HttpMessageHandler"/>: no socket, so fast and deterministic): STS
/// (<c>AssumeRoleWithWebIdentity</c>, <c>AssumeRole</c> with an External ID check) on loopback port 3 and IMDS (token PUT, role, credentials)
/// on loopback port 1. They answer as the active <see cref="FaultEpisode"/> says, issue credentials of 1 hour (STS) and 6 hours (IMDS)
/// on the true clock, check that the keys signing an <c>AssumeRole</c> are valid, and record every call and its answer.
/// </summary>
internal sealed class WeekWorld : HttpMessageHandler
{
    public const string StsEndpoint = "http://127.0.0.1:3/";
    public const string ImdsEndpoint = "http://127.0.0.1:1";
    public const string WebRoleArn = "arn:aws:iam::123456789012:role/pod-role";
    public const string TargetRoleArn = "arn:aws:iam::210987654321:role/customer-role";
    public const string ExternalId = "week-EXTERNAL-id-5b1e";
    public const string InstanceRole = "week-instance-role";

    public static readonly TimeSpan StsLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan ImdsLifetime = TimeSpan.FromHours(6);
    public static readonly TimeSpan WebIdentityTokenLifetime = TimeSpan.FromHours(24);

    private readonly SimClock _clock;
    private readonly WeekFaultPlan _plan;
    private readonly Random _random;
    private readonly string _tokenFile;
    private readonly Dictionary<string, IssuedKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _webTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _imdsTokens = new(StringComparer.Ordinal);
    private readonly List<string> _trace = [];
    private readonly List<(TimeSpan Start, TimeSpan End)> _unhealthySts;
    private readonly List<(TimeSpan Start, TimeSpan End)> _unhealthyImds;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private int _issued;
    private int _webTokenVersion;

    public WeekWorld(SimClock clock, WeekFaultPlan plan, int seed, string tokenFile)
    {
        _clock = clock;
        _plan = plan;
        _random = new Random(unchecked((seed * 7919) + 17));
        _tokenFile = tokenFile;
        _unhealthySts = Merge(plan.Episodes.Where(static e => e.AffectsSts));
        _unhealthyImds = Merge(plan.Episodes.Where(static e => e.AffectsImds));
        RotateToken();
    }

    /// <summary>Gets every call the services received and what they answered, in order: the replay record.</summary>
    public IReadOnlyList<string> Trace => _trace;

    public int StsCalls { get; private set; }

    public int ImdsCalls { get; private set; }

    /// <summary>Gets how many <c>AssumeRole</c> calls were signed with keys that had expired.</summary>
    public int SignedWithExpiredKeys { get; private set; }

    /// <summary>Gets how many calls were refused for a wrong External ID, an unknown web identity token or signing key.</summary>
    public int Rejected { get; private set; }

    /// <summary>Gets how many requests got a fault for an answer (refused, hang, throttled, 5xx, malformed).</summary>
    public int FaultyAnswers { get; private set; }

    /// <summary>Gets how many requests hang right now (answered only by the client's cancellation).</summary>
    public int Hanging { get; private set; }

    /// <summary>Gets how many times the library's work ran on another thread than the simulation's (it must not: the run would not replay).</summary>
    public int OffThread { get; private set; }

    public void Note(string line)
    {
        CheckThread(line);
        string stamped = Stamp() + line;
        if (_trace.Count == 0 || _trace[^1] != stamped)
        {
            // The same event at the same instant (1,000 callers served during a backoff) is one line.
            _trace.Add(stamped);
        }
    }

    /// <summary>Counts (and traces once) work that ran off the simulation's thread.</summary>
    public void CheckThread(string what)
    {
        if (Environment.CurrentManagedThreadId != _thread)
        {
            if (OffThread++ == 0)
            {
                _trace.Add(Stamp() + "OFF THREAD " + what + "\n" + Environment.StackTrace);
            }
        }
    }

    /// <summary>The kubelet writes a new token; the old one stays valid until it expires.</summary>
    public void RotateToken()
    {
        string token = string.Create(CultureInfo.InvariantCulture, $"week-web-identity-TOKEN-{++_webTokenVersion:D3}");
        _webTokens[token] = _clock.TrueNow + WebIdentityTokenLifetime;
        File.WriteAllText(_tokenFile, token);
        Note("token-file rotated v" + _webTokenVersion.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Gets the true expiry of keys the world issued, and which service issued them.</summary>
    public IssuedKey? Key(string accessKeyId) => _keys.TryGetValue(accessKeyId, out IssuedKey? key) ? key : null;

    /// <summary>
    /// Gets since when the services a shape depends on have been healthy without a break at <paramref name="at"/>: <paramref name="at"/>
    /// itself while a fault is active.
    /// </summary>
    public TimeSpan HealthySince(TimeSpan at, bool sts)
    {
        TimeSpan since = TimeSpan.Zero;
        foreach ((TimeSpan start, TimeSpan end) in sts ? _unhealthySts : _unhealthyImds)
        {
            if (start > at)
            {
                break;
            }

            since = end > at ? at : end;
        }

        return since;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        if (!NetworkSafety.IsLoopback(uri.Host))
        {
            throw new InvalidOperationException("The simulated week sends nothing beyond loopback; a request named " + uri.Host);
        }

        return uri.Port == 3 ? Sts(request, cancellationToken) : Imds(request, cancellationToken);
    }

    private static List<(TimeSpan Start, TimeSpan End)> Merge(IEnumerable<FaultEpisode> episodes)
    {
        var merged = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (FaultEpisode episode in episodes.OrderBy(static e => e.Start))
        {
            if (merged.Count > 0 && episode.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, episode.End > merged[^1].End ? episode.End : merged[^1].End);
            }
            else
            {
                merged.Add((episode.Start, episode.End));
            }
        }

        return merged;
    }

    private static HttpResponseMessage Xml(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    private static HttpResponseMessage Text(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    private static string FormValue(string form, string name)
    {
        foreach (string pair in form.Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual(name))
            {
                return WebUtility.UrlDecode(pair[(equals + 1)..]);
            }
        }

        return string.Empty;
    }

    private string Stamp() => string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:F3} ");

    /// <summary>The fault that decides this request's answer, if any: the gravest active one that concerns the service.</summary>
    private FaultEpisode? ActiveFault(bool sts)
    {
        TimeSpan now = _clock.Elapsed;
        FaultEpisode? chosen = null;
        foreach (FaultEpisode episode in _plan.Episodes)
        {
            if (episode.Start > now)
            {
                break;
            }

            if (episode.End > now && (sts ? episode.AffectsSts : episode.AffectsImds) && (chosen is null || episode.Kind is FaultKind.Outage))
            {
                chosen = episode;
            }
        }

        if (chosen is { Share: < 1 } partial && _random.NextDouble() >= partial.Share)
        {
            return null;
        }

        return chosen;
    }

    private Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        // Completed by the client's cancellation (its attempt timeout on the fake clock), inline: nothing runs on the thread pool.
        var hang = new TaskCompletionSource<HttpResponseMessage>();
        Hanging++;
        cancellationToken.Register(() =>
        {
            Hanging--;
            hang.TrySetCanceled(cancellationToken);
        });
        return hang.Task;
    }

    private string NewKey(string service, TimeSpan lifetime, out DateTimeOffset expiration)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"ASIAWEEK{service.ToUpperInvariant().PadRight(4, 'X')}{++_issued:D8}");
        expiration = _clock.TrueNow + lifetime;
        TimeSpan hostBehind = _clock.WallOffset < TimeSpan.Zero ? -_clock.WallOffset : TimeSpan.Zero;
        _keys[id] = new IssuedKey(service, _clock.Elapsed, _clock.Elapsed + lifetime, hostBehind);
        return id;
    }

    private Task<HttpResponseMessage> Sts(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        StsCalls++;
        string form = request.Content!.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
        string action = FormValue(form, "Action");
        string head = "STS " + action;
        FaultEpisode? fault = ActiveFault(sts: true);
        FaultyAnswers += fault is null ? 0 : 1;
        switch (fault?.Kind)
        {
            case FaultKind.Outage:
                Note(head + " -> refused");
                return Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (simulated outage)"));
            case FaultKind.StsTimeout:
                Note(head + " -> hang");
                return Hang(cancellationToken);
            case FaultKind.StsThrottling:
                Note(head + " -> 400 Throttling");
                return Task.FromResult(Xml(HttpStatusCode.BadRequest, StsXml.Error("Throttling", "Rate exceeded")));
            case FaultKind.StsServerError:
                Note(head + " -> 503");
                return Task.FromResult(Xml(HttpStatusCode.ServiceUnavailable, StsXml.Error("ServiceUnavailable", "Service unavailable", "Receiver")));
            case FaultKind.Malformed:
                Note(head + " -> 200 malformed");
                return Task.FromResult(Xml(HttpStatusCode.OK, "<" + action + "Response><" + action + "Result><Credentials><AccessKeyId>"));
        }

        return Task.FromResult(action == "AssumeRole" ? AssumeRole(request, form, head) : AssumeRoleWithWebIdentity(form, head));
    }

    private HttpResponseMessage AssumeRoleWithWebIdentity(string form, string head)
    {
        string token = FormValue(form, "WebIdentityToken");
        if (FormValue(form, "RoleArn") != WebRoleArn || !_webTokens.TryGetValue(token, out DateTimeOffset until) || until <= _clock.TrueNow)
        {
            Rejected++;
            Note(head + " -> 400 InvalidIdentityToken");
            return Xml(HttpStatusCode.BadRequest, StsXml.Error("InvalidIdentityToken", "Token invalid"));
        }

        string id = NewKey("web", StsLifetime, out DateTimeOffset expiration);
        Note(head + " -> 200 " + id);
        return Xml(HttpStatusCode.OK, StsXml.AssumeRoleWithWebIdentity(id, "web-SECRET-" + id, "web-TOKEN-" + id, expiration));
    }

    private HttpResponseMessage AssumeRole(HttpRequestMessage request, string form, string head)
    {
        string authorization = request.Headers.TryGetValues("Authorization", out IEnumerable<string>? values) ? string.Join(",", values) : string.Empty;
        int at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        string signer = at < 0 ? string.Empty : authorization[(at + "Credential=".Length)..].Split('/')[0];
        if (!_keys.TryGetValue(signer, out IssuedKey? key) || key.Service != "web")
        {
            Rejected++;
            Note(head + " signed by unknown key -> 403 InvalidClientTokenId");
            return Xml(HttpStatusCode.Forbidden, StsXml.Error("InvalidClientTokenId", "The security token included in the request is invalid."));
        }

        if (key.ExpiresAt <= _clock.Elapsed)
        {
            SignedWithExpiredKeys++;
            Note(head + " signed by expired " + signer + " -> 400 ExpiredToken");
            return Xml(HttpStatusCode.BadRequest, StsXml.Error("ExpiredToken", "The security token included in the request is expired"));
        }

        if (FormValue(form, "ExternalId") != ExternalId || FormValue(form, "RoleArn") != TargetRoleArn)
        {
            Rejected++;
            Note(head + " wrong External ID or role -> 403 AccessDenied");
            return Xml(HttpStatusCode.Forbidden, StsXml.Error("AccessDenied", "Not authorized to perform sts:AssumeRole"));
        }

        string id = NewKey("role", StsLifetime, out DateTimeOffset expiration);
        Note(head + " signed by " + signer + " -> 200 " + id);
        return Xml(HttpStatusCode.OK, StsXml.AssumeRole(id, "role-SECRET-" + id, "role-TOKEN-" + id, expiration));
    }

    private Task<HttpResponseMessage> Imds(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ImdsCalls++;
        string path = request.RequestUri!.AbsolutePath;
        string head = "IMDS " + request.Method.Method + " " + path;
        FaultEpisode? fault = ActiveFault(sts: false);
        FaultyAnswers += fault is { Kind: FaultKind.Outage or FaultKind.ImdsDown or FaultKind.ImdsHang } ? 1 : 0;
        switch (fault?.Kind)
        {
            case FaultKind.Outage or FaultKind.ImdsDown:
                Note(head + " -> refused");
                return Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (simulated)"));
            case FaultKind.ImdsHang:
                Note(head + " -> hang");
                return Hang(cancellationToken);
        }

        if (request.Method == HttpMethod.Put && path == "/latest/api/token")
        {
            string token = string.Create(CultureInfo.InvariantCulture, $"week-imds-TOKEN-{_imdsTokens.Count + 1:D5}");
            int ttl = request.Headers.TryGetValues("X-aws-ec2-metadata-token-ttl-seconds", out IEnumerable<string>? ttls)
                ? int.Parse(ttls.First(), CultureInfo.InvariantCulture)
                : 21600;
            _imdsTokens[token] = _clock.TrueNow + TimeSpan.FromSeconds(ttl);
            Note(head + " -> 200 token");
            HttpResponseMessage answer = Text(HttpStatusCode.OK, token);
            answer.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ttl.ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(answer);
        }

        string? presented = request.Headers.TryGetValues("X-aws-ec2-metadata-token", out IEnumerable<string>? tokens) ? tokens.First() : null;
        if (presented is null || !_imdsTokens.TryGetValue(presented, out DateTimeOffset valid) || valid <= _clock.TrueNow)
        {
            Note(head + " -> 401");
            return Task.FromResult(Text(HttpStatusCode.Unauthorized, string.Empty));
        }

        if (fault?.Kind == FaultKind.Malformed)
        {
            FaultyAnswers++;
            Note(head + " -> 200 malformed");
            return Task.FromResult(Text(HttpStatusCode.OK, "{\"Code\":\"Success\",\"AccessKeyId\":"));
        }

        switch (path)
        {
            case "/latest/meta-data/iam/security-credentials/" or "/latest/meta-data/iam/security-credentials-extended/":
                Note(head + " -> 200 role");
                return Task.FromResult(Text(HttpStatusCode.OK, InstanceRole));
            case "/latest/meta-data/iam/security-credentials/" + InstanceRole or "/latest/meta-data/iam/security-credentials-extended/" + InstanceRole:
                string id = NewKey("imds", ImdsLifetime, out DateTimeOffset expiration);
                Note(head + " -> 200 " + id);
                return Task.FromResult(Text(HttpStatusCode.OK, string.Create(
                    CultureInfo.InvariantCulture,
                    $$"""{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{{id}}","SecretAccessKey":"imds-SECRET-{{id}}","Token":"imds-TOKEN-{{id}}","AccountId":"123456789012","Expiration":"{{expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""")));
            default:
                Note(head + " -> 404");
                return Task.FromResult(Text(HttpStatusCode.NotFound, string.Empty));
        }
    }
}
