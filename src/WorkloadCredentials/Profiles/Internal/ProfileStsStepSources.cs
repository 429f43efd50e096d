
namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// The STS sources of a profile chain (web identity, assume role), one per distinct step, built at first use and kept: each holds an
/// STS client, so a source per refresh would open a connection per refresh. An assume-role step signs with the credentials of the
/// step before it, which change at every refresh: its source signs through a <see cref="CurrentSource"/> that each call points at
/// the latest ones. Disposing disposes them all.
/// </summary>
internal sealed class ProfileStsStepSources : IDisposable
{
    /// <summary>More distinct steps than any real config holds: past it (a config rewritten again and again), start afresh.</summary>
    private const int MaxSteps = 64;

    private readonly object _lock = new();
    private readonly Dictionary<ProfileWebIdentityRequest, IAwsCredentialSource> _webIdentities = [];
    private readonly Dictionary<ProfileAssumeRoleRequest, (CurrentSource Signer, IAwsCredentialSource Role)> _roles = [];
    private bool _disposed;

    public IAwsCredentialSource WebIdentity(ProfileWebIdentityRequest request, Func<ProfileWebIdentityRequest, IAwsCredentialSource> build)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_webIdentities.TryGetValue(request, out IAwsCredentialSource? source))
            {
                TrimLocked();
                source = build(request);
                _webIdentities.Add(request, source);
            }

            return source;
        }
    }

    public IAwsCredentialSource AssumeRole(
        ProfileAssumeRoleRequest request, IAwsCredentialSource signWith, Func<IAwsCredentialSource, ProfileAssumeRoleRequest, IAwsCredentialSource> build)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_roles.TryGetValue(request, out (CurrentSource Signer, IAwsCredentialSource Role) entry))
            {
                TrimLocked();
                var signer = new CurrentSource();
                entry = (signer, build(signer, request));
                _roles.Add(request, entry);
            }

            entry.Signer.Inner = signWith;
            return entry.Role;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            DisposeAllLocked();
        }
    }

    private void TrimLocked()
    {
        if (_webIdentities.Count + _roles.Count >= MaxSteps)
        {
            DisposeAllLocked();
        }
    }

    private void DisposeAllLocked()
    {
        foreach (IAwsCredentialSource source in _webIdentities.Values)
        {
            (source as IDisposable)?.Dispose();
        }

        foreach ((CurrentSource _, IAwsCredentialSource role) in _roles.Values)
        {
            (role as IDisposable)?.Dispose();
        }

        _webIdentities.Clear();
        _roles.Clear();
    }

    /// <summary>Signs with whatever source the latest call set: the credentials of the step before, as of this refresh.</summary>
    private sealed class CurrentSource : IAwsCredentialSource
    {
        private volatile IAwsCredentialSource? _inner;

        public IAwsCredentialSource? Inner
        {
            get => _inner;
            set => _inner = value;
        }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
            _inner is { } inner
                ? inner.GetCredentialsAsync(cancellationToken)
                : ValueTask.FromException<AwsCredentials>(new InvalidOperationException("No signing credentials were set for this profile step."));
    }
}
