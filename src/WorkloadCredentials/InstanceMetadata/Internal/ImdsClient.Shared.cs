using System.Runtime.CompilerServices;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>The clients shared per context and settings.</summary>
internal sealed partial class ImdsClient
{
    /// <summary>Per context, one client per distinct resolved settings (endpoint, timeouts, attempts, IMDSv1 switch, role name, ...).</summary>
    private static readonly ConditionalWeakTable<CredentialSourceContext, Dictionary<ImdsSettings, ImdsClient>> SharedClients = new();

    /// <summary>
    /// Gets the client shared by every user of <paramref name="context"/> whose settings resolve the same, creating it on first use.
    /// A caller whose profile settings differ (another endpoint, timeout or attempts) gets a client of its own: never another
    /// caller's settings.
    /// </summary>
    /// <param name="context">The context: options, environment, clock, logging, optional test handler.</param>
    /// <param name="profileSetting">Looks a key up in the active shared config profile.</param>
    public static ImdsClient GetOrCreate(CredentialSourceContext context, Func<string, string?>? profileSetting = null)
    {
        Throw.IfNull(context);
        ImdsSettings settings = ImdsSettings.Resolve(context.Options.InstanceMetadata, context.Environment, profileSetting);
        Dictionary<ImdsSettings, ImdsClient> clients = SharedClients.GetValue(context, static _ => []);
        lock (clients)
        {
            if (!clients.TryGetValue(settings, out ImdsClient? client))
            {
                client = new ImdsClient(settings, context.HttpHandler, context.TimeProvider, context.CreateLogger(LoggerCategory));
                clients.Add(settings, client);
            }

            return client;
        }
    }
}
