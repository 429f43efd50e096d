namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// A point-in-time view of a refresh cache for health checks: the credentials held (never shown), their phase, and the last refresh
/// error when the cache is serving them after failed refreshes. Taking one does no I/O.
/// </summary>
/// <param name="Credentials">The credentials held, whatever their phase, or <see langword="null"/> when none were fetched yet.</param>
/// <param name="Phase">The phase of the credentials now (<see cref="CachePhase.Expired"/> when none are held).</param>
/// <param name="LastError">The error of the last refresh when it failed and no refresh succeeded since, else <see langword="null"/>.</param>
internal sealed record CacheStatus(AwsCredentials? Credentials, CachePhase Phase, Exception? LastError);
