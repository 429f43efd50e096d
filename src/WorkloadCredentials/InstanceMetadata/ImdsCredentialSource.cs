using System.Net;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.InstanceMetadata;

/// <summary>
/// The EC2 instance profile's credentials from instance metadata (IMDS). Every call fetches; the refresh cache wraps it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Role discovery and the credentials follow the AWS SDKs' shared vectors (aws-sdk-go-v2 <c>imds-credentials-sep-tests.json</c>):
/// the extended API (<c>/latest/meta-data/iam/security-credentials-extended/</c>, with the account id) first, the legacy API
/// (<c>/latest/meta-data/iam/security-credentials/</c>) when it answers 404; the API that worked and the discovered role name are
/// remembered, and the role is discovered again when its credentials answer 404.</description></item>
/// <item><description>Static stability: credentials IMDS returns already expired are used 5 to 10 more minutes (jittered) with a warning,
/// so an instance whose metadata service is recovering keeps working, as the AWS SDKs do.</description></item>
/// <item><description>Not configured (turned off, or no metadata service answers, or no role attached): <see cref="CredentialUnavailableException"/>.
/// A service that answered before and now fails: a recoverable <see cref="AwsCredentialException"/>, so the cache keeps serving.</description></item>
/// </list>
/// </remarks>
internal sealed partial class ImdsCredentialSource : IAwsCredentialSource, IBuiltFromContext
{
    /// <summary>The source name credentials and errors carry.</summary>
    public const string Name = ImdsConstants.SourceName;

    private readonly ImdsClient _client;
    private readonly string? _configuredRoleName;
    private readonly TimeProvider _timeProvider;
    private readonly CredentialTelemetry _telemetry;
    private readonly Func<double> _random;
    private readonly DisposeOnce _disposal = new(Name);
    private RoleState _state = RoleState.Unknown;

    /// <summary>Creates the source of the default chain from the context (options, environment, clock, logging, test handler).</summary>
    public ImdsCredentialSource(CredentialSourceContext context)
        : this(context, profileSetting: null)
    {
    }

    /// <summary>
    /// Creates the source from the context, with settings the shared config profile gives (<c>credential_source = Ec2InstanceMetadata</c>,
    /// <c>ec2_metadata_service_endpoint</c>, ...). The source creates its IMDS client once and disposes it with itself.
    /// </summary>
    public ImdsCredentialSource(CredentialSourceContext context, Func<string, string?>? profileSetting)
        : this(
            ImdsClient.Create(Throw.IfNull(context), profileSetting),
            instanceProfileName: null,
            context.TimeProvider,
            context.CreateTelemetry(ImdsClient.LoggerCategory),
            context.Random)
    {
        BuiltFrom = context;
    }

    /// <inheritdoc/>
    public CredentialSourceContext? BuiltFrom { get; }

    /// <summary>Creates the source from plain parts.</summary>
    /// <param name="client">The IMDS client; the source owns it and disposes it with itself.</param>
    /// <param name="instanceProfileName">The role name to use without discovery; <see langword="null"/> for the client's setting (or discovery).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="telemetry">Where the component reports its events (logs, metrics, spans).</param>
    /// <param name="random">A source of numbers in [0, 1) for the expiry extension's jitter; <see langword="null"/> for <see cref="Random.Shared"/>.</param>
    public ImdsCredentialSource(ImdsClient client, string? instanceProfileName, TimeProvider timeProvider, CredentialTelemetry telemetry, Func<double>? random = null)
    {
        _client = Throw.IfNull(client);
        _configuredRoleName = string.IsNullOrWhiteSpace(instanceProfileName) ? client.Settings.InstanceProfileName : instanceProfileName.Trim();
        _timeProvider = Throw.IfNull(timeProvider);
        _telemetry = Throw.IfNull(telemetry);
#pragma warning disable CA5394 // Jitter, not security.
        _random = random ?? (static () => Random.Shared.NextDouble());
#pragma warning restore CA5394
    }

    private enum Api
    {
        Unknown,
        Extended,
        Legacy,
    }

    /// <inheritdoc/>
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        _client.ThrowIfUnusable();
        return _configuredRoleName is { } roleName
            ? await GetForConfiguredRoleAsync(roleName, cancellationToken).ConfigureAwait(false)
            : await GetForDiscoveredRoleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the source's IMDS client (its connections); idempotent.</summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            _client.Dispose();
        }
    }

    private static string CredentialsPath(Api api, string roleName) =>
        (api == Api.Legacy ? ImdsConstants.LegacyCredentialsPath : ImdsConstants.ExtendedCredentialsPath) + Uri.EscapeDataString(roleName);

    private async ValueTask<AwsCredentials> GetForConfiguredRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        if (await FetchRoleAsync(roleName, cancellationToken).ConfigureAwait(false) is { } credentials)
        {
            return credentials;
        }

        throw new AwsCredentialException(
            $"{Name}: the instance profile '{roleName}' (from ImdsCredentialOptions.InstanceProfileName, {ImdsConstants.InstanceProfileNameVariable} or {ImdsConstants.InstanceProfileNameProfileKey}) was not found at {_client.EndpointDisplay}: {ImdsConstants.ExtendedCredentialsPath} and {ImdsConstants.LegacyCredentialsPath} answered 404 (invalid profile). Set it to the role IMDS lists under {ImdsConstants.LegacyCredentialsPath}, or unset it to discover the role. {ImdsConstants.Troubleshooting}",
            Name,
            isRecoverable: false);
    }

    private async ValueTask<AwsCredentials> GetForDiscoveredRoleAsync(CancellationToken cancellationToken)
    {
        RoleState state = Volatile.Read(ref _state);
        bool discoveredNow = false;
        if (state.RoleName is null)
        {
            state = await DiscoverAsync(state.Api, cancellationToken).ConfigureAwait(false);
            discoveredNow = true;
        }

        if (await FetchRoleAsync(state.RoleName!, cancellationToken).ConfigureAwait(false) is { } credentials)
        {
            return credentials;
        }

        if (!discoveredNow)
        {
            // The role was replaced (instance profile swapped): discover it again, once.
            _telemetry.ImdsRoleRediscovery(_client.EndpointDisplay, state.RoleName!);
            state = await DiscoverAsync(Volatile.Read(ref _state).Api, cancellationToken).ConfigureAwait(false);
            if (await FetchRoleAsync(state.RoleName!, cancellationToken).ConfigureAwait(false) is { } rediscovered)
            {
                return rediscovered;
            }
        }

        throw Failed(CredentialsPath(Api.Legacy, state.RoleName!), HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Fetches a role's credentials: the extended API first (it adds the account id), the legacy API when the extended one is
    /// not served. Returns <see langword="null"/> when the role is not found on either.
    /// </summary>
    private async ValueTask<AwsCredentials?> FetchRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        Api api = Volatile.Read(ref _state).Api;
        if (api != Api.Legacy)
        {
            string extendedPath = CredentialsPath(Api.Extended, roleName);
            ImdsResponse extended = await _client.GetAsync(extendedPath, cancellationToken).ConfigureAwait(false);
            if (HostHttp.IsRedirect(extended.Status))
            {
                // Never followed, and not taken for "extended API not served" either: stop here.
                throw Failed(extendedPath, extended.Status);
            }

            if (extended.IsSuccess)
            {
                RememberApi(Api.Extended);
                return ToCredentials(extended, extendedPath);
            }

            if (api == Api.Extended && extended.Status != HttpStatusCode.NotFound)
            {
                throw Failed(extendedPath, extended.Status);
            }

            // 404 (the extended API is not served, or a proxy such as kube2iam hands this role out on the legacy path only), or any
            // other answer while the API is still unknown (an emulator that does not know the path): use the legacy path.
            _telemetry.ImdsExtendedApiUnavailable(_client.EndpointDisplay, (int)extended.Status);
        }

        string legacyPath = CredentialsPath(Api.Legacy, roleName);
        ImdsResponse legacy = await _client.GetAsync(legacyPath, cancellationToken).ConfigureAwait(false);
        if (legacy.IsSuccess)
        {
            RememberApi(api == Api.Extended ? Api.Extended : Api.Legacy);
            return ToCredentials(legacy, legacyPath);
        }

        if (legacy.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        throw Failed(legacyPath, legacy.Status);
    }

    private void RememberApi(Api api)
    {
        RoleState state = Volatile.Read(ref _state);
        if (state.Api != api)
        {
            Volatile.Write(ref _state, new RoleState(api, state.RoleName));
        }
    }

    /// <summary>
    /// Discovers the role on the legacy listing, which every IMDS and every IMDS proxy serves. The extended listing is not used
    /// for discovery: kube2iam intercepts only the legacy paths and passes others to the node's real IMDS, so the extended listing
    /// would name the node's role to a pod that was given another one. Credentials are then fetched extended-first (see
    /// <see cref="FetchRoleAsync"/>), which a proxy answers with 404 for a role the node does not have.
    /// </summary>
    private async ValueTask<RoleState> DiscoverAsync(Api api, CancellationToken cancellationToken)
    {
        ImdsResponse legacy = await _client.GetAsync(ImdsConstants.LegacyCredentialsPath, cancellationToken).ConfigureAwait(false);
        if (legacy.IsSuccess && legacy.Problem is { } problem)
        {
            throw Malformed(ImdsConstants.LegacyCredentialsPath, problem);
        }

        if (legacy.IsSuccess && FirstLine(legacy.Body) is { } legacyRole)
        {
            return Discovered(api, legacyRole);
        }

        if (legacy.IsSuccess || legacy.Status == HttpStatusCode.NotFound)
        {
            throw new CredentialUnavailableException(
                $"{Name}: the instance metadata service at {_client.EndpointDisplay} lists no IAM role ({ImdsConstants.LegacyCredentialsPath} answered {(legacy.IsSuccess ? "an empty list" : "404")}): no instance profile is attached to this instance. Attach an instance profile with a role, or use another credential source. {ImdsConstants.Troubleshooting}",
                Name);
        }

        throw Failed(ImdsConstants.LegacyCredentialsPath, legacy.Status);
    }

    private RoleState Discovered(Api api, string roleName)
    {
        var state = new RoleState(api, roleName);
        Volatile.Write(ref _state, state);
        if (_telemetry.IsDebugEnabled)
        {
            string shown = SafeText.Escape(roleName);
            _telemetry.ImdsRoleDiscovered(_client.EndpointDisplay, shown, "legacy");
        }
        return state;
    }

    private static string? FirstLine(string body)
    {
        foreach (string line in body.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed;
            }
        }

        return null;
    }

    private sealed record RoleState(Api Api, string? RoleName)
    {
        public static readonly RoleState Unknown = new(Api.Unknown, null);
    }
}
