namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>A cache whose credentials' remaining lifetime the expiry gauge reads.</summary>
internal interface IExpiryObservable
{
    /// <summary>Gets the time until the cached credentials expire (negative once expired) and their source, when they expire at all.</summary>
    bool TryGetTimeUntilExpiry(out TimeSpan remaining, out string? sourceName);
}
