using System.CommandLine;
using OpsDesk.Db.Auth;

namespace OpsDesk.Worker.Commands.Keys;

/// <summary><c>opsdesk keys revoke</c>: a revoked key stops working on the next request; revoking twice is fine.</summary>
public static class KeysRevokeCommand
{
    public static Command Build()
    {
        var id = new Argument<long>("id") { Description = "The key's id (from opsdesk keys list)." };
        var command = new Command("revoke", "Revoke a key; it stops working on the next request. Revoking twice is fine.") { id };
        command.SetAction((parse, ct) => KeysCommand.WithDatabaseAsync(parse, async (repo, stdout, stderr) =>
        {
            var keyId = parse.GetValue(id);
            switch (await repo.RevokeAsync(keyId, ct))
            {
                case RevokeOutcome.NotFound:
                    await stderr.WriteLineAsync($"error: there is no key {keyId}.");
                    return Cli.Failed;
                case RevokeOutcome.AlreadyRevoked:
                    await stdout.WriteLineAsync($"Key {keyId} was already revoked.");
                    return Cli.Ok;
                default:
                    await stdout.WriteLineAsync($"Revoked key {keyId}.");
                    return Cli.Ok;
            }
        }));
        return command;
    }
}
