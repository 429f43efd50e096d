using System.Globalization;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>One fault: from <see cref="Start"/> (simulated time since the start of the week) for <see cref="Duration"/>.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Start">When it starts.</param>
/// <param name="Duration">How long it lasts (zero for an instant event).</param>
/// <param name="Share">For throttling and 5xx: the share of requests that fail (1 = all).</param>
/// <param name="Step">For a wall-clock step: how far the host's clock jumps.</param>
internal sealed record FaultEpisode(FaultKind Kind, TimeSpan Start, TimeSpan Duration, double Share = 1, TimeSpan Step = default)
{
    public TimeSpan End => Start + Duration;

    /// <summary>Gets whether the episode makes STS or IMDS fail (as opposed to the host's clock or the token file).</summary>
    public bool IsServiceFault => Kind is not (FaultKind.TokenRotation or FaultKind.WallClockStep or FaultKind.Suspend);

    public bool AffectsSts => Kind is FaultKind.StsThrottling or FaultKind.StsServerError or FaultKind.StsTimeout or FaultKind.Outage or FaultKind.Malformed;

    public bool AffectsImds => Kind is FaultKind.Outage or FaultKind.ImdsDown or FaultKind.ImdsHang or FaultKind.Malformed;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Format(Start)} +{Format(Duration)} {Kind}{(Kind is FaultKind.StsThrottling or FaultKind.StsServerError ? $" share {Share:0.00}" : string.Empty)}{(Kind == FaultKind.WallClockStep ? $" step {(Step < TimeSpan.Zero ? "-" : "+")}{Format(Step.Duration())}" : string.Empty)}");

    public static string Format(TimeSpan span) => span.ToString(span.Days > 0 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
