using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_flow_events_UserId_At",
                table: "flow_events");

            migrationBuilder.AddColumn<int>(
                name: "UserKey",
                table: "flow_events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "flow_users",
                columns: table => new
                {
                    Key = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_flow_users", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_flow_users_UserId",
                table: "flow_users",
                column: "UserId",
                unique: true);

            // Number the users already recorded and key their events, before the new index exists (one build, not
            // one insert per row).
            migrationBuilder.Sql("""
                INSERT INTO "flow_users" ("UserId") SELECT DISTINCT "UserId" FROM "flow_events" ORDER BY "UserId";
                UPDATE "flow_events" SET "UserKey" = (SELECT "Key" FROM "flow_users" WHERE "flow_users"."UserId" = "flow_events"."UserId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_flow_events_UserKey",
                table: "flow_events",
                column: "UserKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "flow_users");

            migrationBuilder.DropIndex(
                name: "IX_flow_events_UserKey",
                table: "flow_events");

            migrationBuilder.DropColumn(
                name: "UserKey",
                table: "flow_events");

            migrationBuilder.CreateIndex(
                name: "IX_flow_events_UserId_At",
                table: "flow_events",
                columns: new[] { "UserId", "At" });
        }
    }
}
