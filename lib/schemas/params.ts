import { z } from "zod";
import { SERVER_ID_PATTERN } from "@/lib/schemas/server";

export const serverParamsSchema = z.object({
  // An id that does not match answers 404, like one that does not exist (ids are opaque to clients).
  serverId: z
    .string()
    .regex(SERVER_ID_PATTERN)
    .meta({ description: "Server ID", examples: ["production-server-a1b2c3d4"] }),
});
