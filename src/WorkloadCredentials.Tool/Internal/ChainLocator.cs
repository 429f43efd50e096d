using WorkloadCredentials.AssumeRole;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>Finds the <see cref="CredentialChain"/> (and its resolution record) inside what the default chain factory returned.</summary>
internal static class ChainLocator
{
    public static CredentialChain? Find(IAwsCredentialSource source)
    {
        for (int depth = 0; depth < 8; depth++)
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
