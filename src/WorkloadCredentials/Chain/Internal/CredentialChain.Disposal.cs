namespace WorkloadCredentials.Chain.Internal;

/// <summary>Disposal: the owned sources only, every one of them even when one throws, once.</summary>
internal sealed partial class CredentialChain
{
    /// <summary>
    /// Disposes the sources the chain owns (<see cref="ChainLink.Owned"/>: those it built, and those handed to
    /// <see cref="AwsCredentialSources.Chain"/>); the application's own sources (<see cref="WorkloadCredentialsOptions.CustomSources"/>)
    /// stay open. Every owned source is disposed even when one throws; then the exception is rethrown (an
    /// <see cref="AggregateException"/> when several threw). Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            DisposeOwned(_links);
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        if (!_disposal.TryDispose())
        {
            return;
        }

        List<Exception>? errors = null;
        foreach (ChainLink link in _links)
        {
            if (link.Owned)
            {
                try
                {
                    await link.Source.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    (errors ??= []).Add(ex);
                }
            }
        }

        ThrowIfAny(errors);
    }

    /// <summary>Disposes every owned link, even when one throws; then rethrows (<see cref="AggregateException"/> for several).</summary>
    internal static void DisposeOwned(IEnumerable<ChainLink> links)
    {
        List<Exception>? errors = null;
        foreach (ChainLink link in links)
        {
            if (link.Owned)
            {
                try
                {
                    link.Source.Dispose();
                }
                catch (Exception ex)
                {
                    (errors ??= []).Add(ex);
                }
            }
        }

        ThrowIfAny(errors);
    }

    private static void ThrowIfAny(List<Exception>? errors)
    {
        if (errors is [var single])
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(single);
        }

        if (errors is { Count: > 1 })
        {
            throw new AggregateException("Several credential sources of the chain failed to dispose.", errors);
        }
    }
}
