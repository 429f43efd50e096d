namespace WorkloadCredentials.Tests.Simulation;

/// <summary>The two shapes of the default chain the week runs.</summary>
internal enum WeekShape
{
    /// <summary>Web identity (IRSA), then <c>sts:AssumeRole</c> with an External ID on top (an inner cache holds the web identity credentials).</summary>
    WebIdentityThenAssumeRole,

    /// <summary>The EC2 instance profile (IMDS).</summary>
    InstanceProfile,
}
