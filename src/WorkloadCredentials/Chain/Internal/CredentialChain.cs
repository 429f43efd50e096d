using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// Tries its sources in order: an unavailable source (<see cref="CredentialUnavailableException"/>) is skipped with its reason,
/// a source that fails stops the chain with its own error, and when nothing resolves one
/// <see cref="CredentialUnavailableException"/> lists every source, one line each.
/// </summary>
/// <remarks>
/// After a success the chain sticks to the chosen source (as the AWS Java SDK's <c>reuseLastProviderEnabled</c>): a refresh never
/// switches identity because an earlier source appeared or a later one answers. The chain caches nothing itself; a
/// refresh cache stands in front of it.
/// </remarks>
internal sealed partial class CredentialChain : IAwsCredentialSource, IBuiltFromContext
{
    /// <summary>The source name of the chain's own errors.</summary>
    public const string Name = "Chain";

    private const string NothingResolvedHeader = "No AWS credentials were found. Every source of the chain was tried, in order:";
    private const string NothingResolvedFooter = "Configure one of these sources.";
    private const string EmptyChainMessage = "No AWS credentials were found: the chain has no sources.";

    private readonly ChainLink[] _links;
    private readonly CredentialTelemetry _telemetry;
    private readonly Func<string?>? _roleSettingProbe;
    private int _chosenIndex = -1;
    private volatile ChainResolution? _lastResolution;
    private readonly DisposeOnce _disposal = new(Name);

    /// <param name="links">The sources, in order.</param>
    /// <param name="telemetry">Where the chain reports which source it chose and why others were skipped; each source tried is a span.</param>
    /// <param name="roleSettingProbe">
    /// Describes the web identity role settings present (for example <c>AWS_ROLE_ARN=arn:...</c>), or returns <see langword="null"/>;
    /// called when a keys source wins, to warn that the role is ignored.
    /// </param>
    public CredentialChain(IEnumerable<ChainLink> links, CredentialTelemetry telemetry, Func<string?>? roleSettingProbe = null)
    {
        _links = Throw.IfNull(links).ToArray();
        _telemetry = Throw.IfNull(telemetry);
        _roleSettingProbe = roleSettingProbe;
    }

    /// <summary>Gets the sources, in order.</summary>
    public IReadOnlyList<ChainLink> Links => _links;

    /// <summary>Gets the record of the last full resolution (which source was chosen, why the others were skipped), or <see langword="null"/> before the first.</summary>
    public ChainResolution? LastResolution => _lastResolution;

    /// <summary>Gets the context of the source the chain sticks to, else of its first source that knows one; or <see langword="null"/>.</summary>
    public CredentialSourceContext? BuiltFrom =>
        Volatile.Read(ref _chosenIndex) is int i and >= 0 && _links[i].Source is IBuiltFromContext { BuiltFrom: { } chosen }
            ? chosen
            : _links.Select(static link => (link.Source as IBuiltFromContext)?.BuiltFrom).FirstOrDefault(static context => context is not null);

    /// <summary>Gets the name of the source the chain sticks to, or <see langword="null"/> before the first success.</summary>
    public string? ChosenSourceName => Volatile.Read(ref _chosenIndex) is int i and >= 0 ? _links[i].Name : null;

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        int chosen = Volatile.Read(ref _chosenIndex);
        return chosen >= 0 ? GetFromChosenAsync(_links[chosen], cancellationToken) : ResolveAsync(cancellationToken);
    }

    private static async ValueTask<AwsCredentials> GetFromChosenAsync(ChainLink link, CancellationToken cancellationToken)
    {
        using Activity? span = CredentialTelemetry.StartSource(link.Name);
        try
        {
            AwsCredentials credentials = await link.Source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            CredentialTelemetry.EndSource(span, TelemetryTags.Success);
            return credentials;
        }
        catch (Exception ex) when (ex is not AwsCredentialException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Failure, ex);
            throw Wrap(link, ex);
        }
        catch (Exception ex)
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Failure, ex);
            throw;
        }
    }

    private async ValueTask<AwsCredentials> ResolveAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = new List<ChainResolutionEntry>(_links.Length);
        List<Exception>? unavailable = null;
        for (int i = 0; i < _links.Length; i++)
        {
            ChainLink link = _links[i];

            // The span stays current until the choice below is logged, as it was when the try/catch sat in this loop.
            using Activity? span = CredentialTelemetry.StartSource(link.Name);
            LinkAttempt attempt = await TryLinkAsync(entries, i, span, cancellationToken).ConfigureAwait(false);
            if (attempt.Unavailable is { } skipped)
            {
                (unavailable ??= []).Add(skipped);
                continue;
            }

            AwsCredentials credentials = attempt.Credentials!;
            entries.Add(new ChainResolutionEntry(link.Name, ChainSourceStatus.Chosen, Reason: null));
            AddNotTried(entries, i + 1);
            string? ignoredRole = link.IsKeys ? _roleSettingProbe?.Invoke() : null;
            _lastResolution = new ChainResolution(entries, ignoredRole);
            if (Interlocked.CompareExchange(ref _chosenIndex, i, -1) == -1)
            {
                _telemetry.SourceChosen(link.Name, credentials.AccessKeyId);

                if (ignoredRole is not null)
                {
                    _telemetry.KeysOverrideRole(link.Name, ignoredRole);
                }
            }

            return credentials;
        }

        _lastResolution = new ChainResolution(entries, ignoredRoleSetting: null);
        _telemetry.NoSourceResolved(_links.Length);
        throw new CredentialUnavailableException(
            BuildNothingResolvedMessage(entries),
            Name,
            unavailable is null ? null : new AggregateException(unavailable));
    }

    /// <summary>
    /// Asks one link. Returns its credentials, or the reason it is unavailable (recorded in <paramref name="entries"/>); a
    /// failure stops the chain: it is recorded, then thrown (wrapped unless it is the source's own or the caller's cancellation).
    /// </summary>
    /// <remarks>
    /// Its own method so that the credentials are a result rather than a local assigned in a <c>try</c>: a mutation tool
    /// can then mutate the loop above one statement at a time. Pooled, so that a source answering asynchronously costs no
    /// more allocations than when this code sat in the loop (measured: the same bytes for a synchronous source, 8 bytes more
    /// for an asynchronous one, the larger awaiter in the caller's state machine; once per chain, before it sticks).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LinkAttempt> TryLinkAsync(
        List<ChainResolutionEntry> entries, int index, Activity? span, CancellationToken cancellationToken)
    {
        ChainLink link = _links[index];
        try
        {
            AwsCredentials credentials = await link.Source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            CredentialTelemetry.EndSource(span, TelemetryTags.Success);
            return new LinkAttempt(credentials, Unavailable: null);
        }
        catch (CredentialUnavailableException ex)
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Unavailable);
            string reason = Reason(link, ex);
            entries.Add(new ChainResolutionEntry(link.Name, ChainSourceStatus.Unavailable, reason));
            _telemetry.SourceUnavailable(link.Name, reason);
            return new LinkAttempt(Credentials: null, ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Failure, ex);
            // The caller's cancellation is never wrapped. A source's own timeout (cancellation nobody asked for) is a failure below.
            throw;
        }
        catch (AwsCredentialException ex)
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Failure, ex);
            Stop(entries, index, link, Reason(link, ex));
            throw;
        }
        catch (Exception ex)
        {
            CredentialTelemetry.EndSource(span, TelemetryTags.Failure, ex);
            AwsCredentialException wrapped = Wrap(link, ex);
            Stop(entries, index, link, wrapped.Message);
            throw wrapped;
        }
    }

    private void Stop(List<ChainResolutionEntry> entries, int index, ChainLink link, string reason)
    {
        entries.Add(new ChainResolutionEntry(link.Name, ChainSourceStatus.Failed, reason));
        AddNotTried(entries, index + 1);
        _lastResolution = new ChainResolution(entries, ignoredRoleSetting: null);
        _telemetry.SourceFailed(link.Name, reason);
    }

    private void AddNotTried(List<ChainResolutionEntry> entries, int from)
    {
        for (int j = from; j < _links.Length; j++)
        {
            entries.Add(new ChainResolutionEntry(_links[j].Name, ChainSourceStatus.NotTried, Reason: null));
        }
    }

    private static AwsCredentialException Wrap(ChainLink link, Exception ex) =>
        new($"{link.Name}: failed with {ex.GetType().Name}: {OneLine(ex.Message)}", link.Name, isRecoverable: true, ex);

    /// <summary>The source's message on one line, prefixed with the source's name when the message does not start with it.</summary>
    private static string Reason(ChainLink link, Exception ex)
    {
        string message = OneLine(ex.Message);
        return message.StartsWith(link.Name, StringComparison.Ordinal) ? message : $"{link.Name}: {message}";
    }

    private static string OneLine(string message) =>
        message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal)
            ? string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : message;

    private static string BuildNothingResolvedMessage(List<ChainResolutionEntry> entries)
    {
        if (entries.Count == 0)
        {
            return EmptyChainMessage;
        }

        var builder = new StringBuilder(NothingResolvedHeader);
        foreach (ChainResolutionEntry entry in entries)
        {
            _ = builder.Append('\n').Append("- ").Append(entry.Reason);
        }

        return builder.Append('\n').Append(NothingResolvedFooter).ToString();
    }

    /// <summary>What one link answered: its credentials, or why it is unavailable (then <see cref="Credentials"/> is <see langword="null"/>).</summary>
    private readonly record struct LinkAttempt(AwsCredentials? Credentials, CredentialUnavailableException? Unavailable);
}
