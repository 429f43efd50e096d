using WorkloadCredentials.Chain.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>Builds a <see cref="CredentialSourceDescription"/>: gets credentials once, then reads the chain's record of its last resolution.</summary>
internal static class CredentialDescriber
{
    public static async ValueTask<CredentialSourceDescription> DescribeAsync(IAwsCredentialSource source, CancellationToken cancellationToken)
    {
        CredentialChain? chain = ChainFinder.Find(source);
        var text = new DescriptionText();
        AwsCredentials credentials;
        try
        {
            credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (CredentialUnavailableException ex)
        {
            return await FailureAsync(CredentialResolutionStatus.Unavailable, ex.SourceName, ex.Message, chain, text, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCredentialException ex)
        {
            string? failed = ex.SourceName ?? chain?.LastResolution?.FailedSourceName;
            return await FailureAsync(CredentialResolutionStatus.Failed, failed, ex.Message, chain, text, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Describing never throws for a source's failure: a custom source (or a role on top) may throw anything.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string message = $"{ex.GetType().Name}: {ex.Message}";
            return await FailureAsync(CredentialResolutionStatus.Failed, chain?.LastResolution?.FailedSourceName, message, chain, text, cancellationToken).ConfigureAwait(false);
        }

        text.AddSecret(credentials.SecretAccessKey);
        text.AddSecret(credentials.SessionToken);
        ChainResolution? resolution = chain?.LastResolution;
        CredentialProfileDescription? profile = chain is null
            ? null
            : await ProfileDescriber.DescribeAsync(chain, resolution?.ChosenSourceName ?? chain.ChosenSourceName, text, cancellationToken).ConfigureAwait(false);
        return new CredentialSourceDescription(CredentialResolutionStatus.Resolved, Entries(resolution, text))
        {
            SourceName = text.Clean(credentials.SourceName),
            RedactedAccessKeyId = credentials.RedactedAccessKeyId,
            IsTemporary = credentials.SessionToken is not null,
            AccountId = text.Clean(credentials.AccountId),
            RoleArn = text.Clean(credentials.RoleArn),
            Expiration = credentials.Expiration,
            Profile = profile,
            IgnoredRoleSetting = text.Clean(resolution?.IgnoredRoleSetting),
        };
    }

    private static async ValueTask<CredentialSourceDescription> FailureAsync(
        CredentialResolutionStatus status, string? sourceName, string message, CredentialChain? chain, DescriptionText text, CancellationToken cancellationToken)
    {
        ChainResolution? resolution = chain?.LastResolution;
        if (chain is not null && resolution?.FailedSourceName is { } failed)
        {
            // Only for its secrets: a failed profile's message may quote what STS or a process answered.
            _ = await ProfileDescriber.DescribeAsync(chain, failed, text, cancellationToken).ConfigureAwait(false);
        }

        string cleaned = text.Clean(message)!;
        return new CredentialSourceDescription(status, Entries(resolution, text, refusal: cleaned))
        {
            ErrorSourceName = text.Clean(sourceName),
            ErrorMessage = cleaned,
        };
    }

    /// <summary>
    /// The chain's record. When <paramref name="refusal"/> is given, credentials did not come out although the chain chose a source (a
    /// cache refused them as expired, or a role on top failed): that source is reported as failed, with the reason.
    /// </summary>
    private static CredentialSourceStatusEntry[] Entries(ChainResolution? resolution, DescriptionText text, string? refusal = null)
    {
        if (resolution is null)
        {
            return [];
        }

        var entries = new CredentialSourceStatusEntry[resolution.Entries.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            ChainResolutionEntry entry = resolution.Entries[i];
            CredentialSourceStatus status = entry.Status switch
            {
                ChainSourceStatus.Chosen => CredentialSourceStatus.Chosen,
                ChainSourceStatus.Unavailable => CredentialSourceStatus.Unavailable,
                ChainSourceStatus.Failed => CredentialSourceStatus.Failed,
                _ => CredentialSourceStatus.NotTried,
            };
            entries[i] = status == CredentialSourceStatus.Chosen && refusal is not null
                ? new CredentialSourceStatusEntry(text.Clean(entry.SourceName)!, CredentialSourceStatus.Failed, refusal)
                : new CredentialSourceStatusEntry(text.Clean(entry.SourceName)!, status, text.Clean(entry.Reason));
        }

        return entries;
    }
}
