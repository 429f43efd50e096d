using System.Text;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Diagnostics.Internal;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>The start-up failure text of one registration: the error, then every source of its chain with what happened to it.</summary>
internal static class StartupFailureText
{
    public static string Describe(string registration, IAwsCredentialSource source, string error)
    {
        var text = new DescriptionText();
        var builder = new StringBuilder().Append("AWS credentials '").Append(registration).Append("': ").Append(text.Clean(error));
        CredentialChain? chain = ChainFinder.Find(source);
        if (chain is null)
        {
            return builder.ToString();
        }

        ChainResolution? resolution = chain.LastResolution;
        _ = builder.Append(Environment.NewLine).Append("  Sources:");
        foreach (ChainLink link in chain.Links)
        {
            ChainResolutionEntry? entry = resolution?.Entries.FirstOrDefault(e => e.SourceName == link.Name);
            _ = builder.Append(Environment.NewLine).Append("  - ").Append(link.Name).Append(": ")
                .Append(entry is null ? "not answered" : entry.Status.ToString().ToLowerInvariant());
            if (entry?.Reason is { } reason)
            {
                _ = builder.Append(" (").Append(text.Clean(reason)).Append(')');
            }
        }

        return builder.ToString();
    }
}
