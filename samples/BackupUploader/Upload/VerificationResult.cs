namespace BackupUploader.Upload;

/// <summary>What verification found. <see cref="Problems"/> is empty when everything matched.</summary>
internal sealed record VerificationResult(VerificationMode Mode, IReadOnlyList<string> Checks, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}
