// BackupUploader: backs up a file or folder to S3 without static keys.
//
//   dotnet run --project samples/BackupUploader                       local mode: emulator, web identity -> role with External ID -> upload
//   dotnet run --project samples/BackupUploader -- ./data --bucket b  real S3 with the default credential chain
//
// The steps are numbered in UploaderApp.cs (modes), BackupJob.cs (archive, upload, verify, summarize) and
// Credentials/CredentialSetup.cs (the one-line credential chain and the AWS SDK adapter).
using BackupUploader;

return await UploaderApp.RunAsync(args, Console.Out, Console.Error, Console.OpenStandardInput(), interactive: !Console.IsOutputRedirected);
