namespace BackupUploader;

/// <summary>The uploader's exit codes (documented in the README).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Credentials = 3;
    public const int Storage = 4;
    public const int VerificationFailed = 5;
    public const int Emulator = 6;
    public const int Cancelled = 130;
}
