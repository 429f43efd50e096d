using System.Net;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>An answer from the instance metadata service: its status and its (small, buffered) body.</summary>
internal readonly record struct ImdsResponse(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => Status == HttpStatusCode.OK;

    /// <summary>Gets what is wrong with the body (not valid UTF-8), or <see langword="null"/>; <see cref="Body"/> is empty then.</summary>
    public string? Problem { get; init; }

    /// <summary>Describes the answer without its body, which may hold credentials.</summary>
    /// <returns>The status and the body's length.</returns>
    public override string ToString() => $"ImdsResponse {{ Status = {(int)Status} {Status}, Body = ({Body?.Length ?? 0} characters) }}";
}
