using WorkloadCredentials.AssumeRole;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>Finds the <see cref="CredentialChain"/> (and its resolution record) behind what the library built: caches and a role on top.</summary>
internal static class ChainFinder
{
    private const int MaxDepth = 8;

    public static CredentialChain? Find(IAwsCredentialSource source)
    {
        for (int depth = 0; depth < MaxDepth; depth++)
        {
            switch (source)
            {
                case CredentialChain chain:
                    return chain;
                case RefreshingCredentialCache cache:
                    source = cache.Inner;
                    break;
                case AssumeRoleCredentialSource role:
                    // A role from options (AWS:AssumeRole:RoleArn) wraps the cached chain.
                    source = role.Source;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }
}
