using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdentityReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identity_reviews",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PasswordResetAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Detached = table.Column<string>(type: "TEXT", nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_reviews", x => x.UserId);
                });

            // Resets from before this app watched for them are not answered: deploying it must not detach every
            // identity of every user who ever reset a password (PasswordResetReview.AnsweredSinceCheckpoint).
            migrationBuilder.Sql("""
                INSERT INTO "ingestion_checkpoints" ("Name", "Value", "UpdatedAt")
                VALUES ('password-resets:answered-since', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "ingestion_checkpoints" WHERE "Name" = 'password-resets:answered-since';""");

            migrationBuilder.DropTable(
                name: "identity_reviews");
        }
    }
}
