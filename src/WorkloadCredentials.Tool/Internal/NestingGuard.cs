using System.Globalization;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// The last safety net against a loop of the tool through <c>credential_process</c>: a profile whose <c>credential_process</c> runs
/// <c>workload-credentials export</c> would, when the chain reaches that profile again, start the tool again without end. Each run
/// passes its depth to its children in <see cref="Variable"/>; legitimate nesting (a profile's process exporting another profile) is
/// shallow, so a run nested deeper than <see cref="MaxDepth"/> refuses with exit code 2 and says why.
/// </summary>
internal static class NestingGuard
{
    public const string Variable = "WORKLOAD_CREDENTIALS_TOOL_DEPTH";

    public const int MaxDepth = 3;

    /// <summary>Gets how many runs of the tool are above this one (0 for a run started by a person or a script).</summary>
    public static int Depth() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int depth) ? depth : 0;

    public static string TooDeepMessage(int depth) => string.Create(
        CultureInfo.InvariantCulture,
        $"refusing to run: this is run {depth + 1} of workload-credentials nested in itself ({Variable}={depth}). A shared config profile's credential_process most likely runs 'workload-credentials export' and the chain reached that profile again. Give the inner run its own source (environment keys, or --profile naming a profile with other credentials), or remove the credential_process loop.");
}
