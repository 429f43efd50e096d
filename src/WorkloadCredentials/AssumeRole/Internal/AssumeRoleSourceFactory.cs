using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.AssumeRole.Internal;

/// <summary>Builds assume-role sources from validated settings and a source of credentials to sign with (profiles, the chain wrapper).</summary>
internal static class AssumeRoleSourceFactory
{
    /// <summary>Builds an assume-role source.</summary>
    /// <param name="context">The clock, logging, environment and (in tests) the HTTP handler.</param>
    /// <param name="settings">The validated role parameters (see <see cref="AssumeRoleSettings.Create"/>).</param>
    /// <param name="sts">The STS client settings (see <see cref="StsSettingsResolver"/>).</param>
    /// <param name="source">The credentials to sign <c>sts:AssumeRole</c> with; should be cached (an <see cref="ICachedAwsCredentialSource"/>).</param>
    /// <param name="isRoleSource">Whether credentials from a named source are a role session (the role-chaining cap); the registered definitions say.</param>
    /// <param name="regionHint">Where to find the region when configuration names none.</param>
    /// <param name="ownedSource">Something to dispose with the source (the cache it created around <paramref name="source"/>).</param>
    public static AssumeRoleCredentialSource Create(
        CredentialSourceContext context,
        AssumeRoleSettings settings,
        StsClientSettings sts,
        IAwsCredentialSource source,
        Func<string, bool>? isRoleSource = null,
        IRegionHint? regionHint = null,
        IAwsCredentialSource? ownedSource = null)
    {
        CredentialTelemetry telemetry = context.CreateTelemetry(typeof(AssumeRoleCredentialSource).FullName!);
        var signing = new StsSigningCredentials(source);
        var clients = new StsClientProvider(sts, regionHint, signing, context.HttpHandler, context.TimeProvider, telemetry, settings.SourceName, context.ConnectCallback, context.Random);
        return new AssumeRoleCredentialSource(settings, source, signing, clients, telemetry, ownedSource, isRoleSource) { BuiltFrom = context };
    }
}
