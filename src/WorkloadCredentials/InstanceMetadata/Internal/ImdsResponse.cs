using System.Net;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>An answer from the instance metadata service: its status and its (small, buffered) body.</summary>
internal readonly record struct ImdsResponse(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => Status == HttpStatusCode.OK;
}
