using WorkloadCredentials.Internal;

namespace WorkloadCredentials.WebIdentity.Internal;

/// <summary>
/// Reads the web identity token through <see cref="BoundedFileReader"/>: a regular file of at most 64 KiB, UTF-8, trimmed.
/// Every failure names the file and the setting, never the token.
/// </summary>
internal static class WebIdentityTokenFile
{
    public static ValueTask<string> ReadAsync(WebIdentitySettings settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string where = $"{settings.SourceName}: the web identity token file {SafeText.Escape(settings.TokenFile)} (from {settings.TokenFileSetting})";
        string token;
        try
        {
            token = BoundedFileReader.ReadText(settings.TokenFile, Sts.Internal.StsValidation.MaxWebIdentityTokenBytes).Trim();
        }
        catch (FileReadException ex)
        {
            string fix = ex.Problem switch
            {
                FileReadProblem.NotFound => ". Check that the token volume is mounted (EKS: the service account has the eks.amazonaws.com/role-arn annotation) or fix the setting.",
                FileReadProblem.AccessDenied => ". Let the process's user read it (EKS: set fsGroup in the pod's securityContext).",
                FileReadProblem.TooLarge => ", which no web identity token is. Check that the setting names the token file.",
                FileReadProblem.InvalidEncoding => ", which no web identity token is. Check that the setting names the token file.",
                _ => $". Point {settings.TokenFileSetting} at the token file.",
            };
            throw Failure($"{where} {ex.Message}{fix}", ex);
        }

        return token.Length > 0
            ? ValueTask.FromResult(token)
            : throw Failure($"{where} is empty. Check that whatever writes the token (the kubelet for EKS) has written it.", null);

        AwsCredentialException Failure(string message, Exception? inner) => new(message, settings.SourceName, isRecoverable: true, inner);
    }
}
