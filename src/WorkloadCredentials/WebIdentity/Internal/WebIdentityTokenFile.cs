using System.Text;

namespace WorkloadCredentials.WebIdentity.Internal;

/// <summary>
/// Reads the web identity token: at most 64 KiB, UTF-8, trimmed. Every failure names the file and the setting, never the token.
/// </summary>
internal static class WebIdentityTokenFile
{
    public static async ValueTask<string> ReadAsync(WebIdentitySettings settings, CancellationToken cancellationToken)
    {
        string path = settings.TokenFile;
        string where = $"{settings.SourceName}: the web identity token file {path} (from {settings.TokenFileSetting})";
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                int limit = Sts.Internal.StsValidation.MaxWebIdentityTokenBytes;
                byte[] buffer = new byte[limit + 1];
                int total = 0;
                int read;
                while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                if (total > limit)
                {
                    throw Failure($"{where} is larger than {limit / 1024} KiB, which no web identity token is. Check that the setting names the token file.", null);
                }

                string token = Encoding.UTF8.GetString(buffer, 0, total).Trim();
                return token.Length > 0
                    ? token
                    : throw Failure($"{where} is empty. Check that whatever writes the token (the kubelet for EKS) has written it.", null);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Failure($"{where} does not exist. Check that the token volume is mounted (EKS: the service account has the eks.amazonaws.com/role-arn annotation) or fix the setting.", ex);
        }
        catch (UnauthorizedAccessException ex) when (Directory.Exists(path))
        {
            throw Failure($"{where} is a directory, not a file. Fix the setting.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Failure($"{where} cannot be read: permission denied. Let the process's user read it (EKS: set fsGroup in the pod's securityContext).", ex);
        }
        catch (IOException ex)
        {
            throw Failure($"{where} cannot be read: {ex.GetType().Name}.", ex);
        }

        AwsCredentialException Failure(string message, Exception? inner) => new(message, settings.SourceName, isRecoverable: true, inner);
    }
}
