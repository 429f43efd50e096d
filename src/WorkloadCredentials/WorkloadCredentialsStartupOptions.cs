namespace WorkloadCredentials;

/// <summary>
/// What happens at start-up with a host (<c>IHost</c>): by default every registration resolves its credentials once, so that the first
/// request is a cache hit, and a failure is logged. Bound from the <c>Startup</c> key of the section given to
/// <c>AddWorkloadCredentials(configuration)</c> (such as <c>AWS:Startup:FailWhenUnresolved</c>), or set with
/// <c>services.Configure&lt;WorkloadCredentialsStartupOptions&gt;(...)</c>.
/// </summary>
public sealed class WorkloadCredentialsStartupOptions
{
    /// <summary>The configuration key under the <c>AWS</c> section: <c>Startup</c>.</summary>
    public const string SectionName = "Startup";

    /// <summary>Gets or sets whether credentials are resolved at start-up. Default <see langword="true"/>.</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Gets or sets whether start-up fails when a registration resolves no credentials within <see cref="Timeout"/>; the error lists
    /// every source of the chain and why each gave nothing. Default <see langword="false"/>: the failure is logged as a warning.
    /// </summary>
    public bool FailWhenUnresolved { get; set; }

    /// <summary>Gets or sets how long start-up waits for credentials, for all registrations together. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
