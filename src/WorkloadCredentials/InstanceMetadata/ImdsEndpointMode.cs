namespace WorkloadCredentials.InstanceMetadata;

/// <summary>Which default address the EC2 instance metadata service is reached at.</summary>
public enum ImdsEndpointMode
{
    /// <summary>IPv4: <c>http://169.254.169.254</c>.</summary>
    IPv4 = 0,

    /// <summary>IPv6: <c>http://[fd00:ec2::254]</c>.</summary>
    IPv6 = 1,
}
